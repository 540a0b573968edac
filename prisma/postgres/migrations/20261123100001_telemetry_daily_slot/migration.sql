-- AlterTable
ALTER TABLE "TelemetrySend" ADD COLUMN "slot" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "TelemetrySend_slot_key" ON "TelemetrySend"("slot");
