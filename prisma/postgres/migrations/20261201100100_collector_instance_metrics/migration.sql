-- Extra metrics of each instance's latest ping (leaves under `platform` the schema does not know).
-- CreateTable
CREATE TABLE "CollectorInstanceMetric" (
    "instanceId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "numberValue" DOUBLE PRECISION,
    "textValue" TEXT,
    "reportedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectorInstanceMetric_pkey" PRIMARY KEY ("instanceId","metric")
);

-- CreateIndex
CREATE INDEX "CollectorInstanceMetric_metric_reportedAt_idx" ON "CollectorInstanceMetric"("metric", "reportedAt");

-- CreateIndex
CREATE INDEX "CollectorInstanceMetric_reportedAt_idx" ON "CollectorInstanceMetric"("reportedAt");
