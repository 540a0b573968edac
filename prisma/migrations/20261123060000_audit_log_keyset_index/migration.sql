-- DropIndex
DROP INDEX "AuditLog_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_id_idx" ON "AuditLog"("createdAt", "id");
