/**
 * Config schema of the supervision audit log (section `audit`).
 *
 *   audit:
 *     file: /var/lib/whisperd/audit.jsonl   # "" (default) = memory only: nothing survives a restart
 *     keepInMemory: 10000                   # newest records kept for the HTTP API / queries
 *
 * With a file, every record is appended as one JSON line and fdatasync'ed before the command that
 * caused it is answered; on start-up the newest `keepInMemory` records are loaded back and `seq`
 * continues. With `file: ""` a warning is logged once at start and records live only in memory.
 */
import { z } from 'zod';

export const auditSchema = z
  .object({
    /** JSON-lines file the records are appended to (relative paths from the working directory); "" = in-memory only (a warning is logged at start). */
    file: z.string().default('var/audit.jsonl'),
    /** How many of the newest records are kept in memory for queries (0 = none). */
    keepInMemory: z.number().int().min(0).max(1_000_000).default(10_000),
  })
  .strict()
  .prefault({});

export type AuditConfig = z.infer<typeof auditSchema>;
export type AuditConfigInput = z.input<typeof auditSchema>;
