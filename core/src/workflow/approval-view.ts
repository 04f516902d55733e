/**
 * An approval request as the HTTP API answers it, shared by the runtime (which stores and builds it)
 * and the studio (which shows it in the inbox and on records), so the two cannot drift apart.
 */

/** What happens when nobody decides by the deadline. */
export type TimeoutPolicy = "approve" | "reject" | "escalate";

export interface ApprovalRequest {
  id: string;
  runId: string | null;
  stepId: string | null;
  workflowId: string | null;
  entity: string;
  recordId: string;
  subject: string;
  message: string | null;
  /** User ids who may decide. */
  approvers: string[];
  status: "pending" | "approved" | "rejected" | "cancelled";
  dueAt: string | null;
  onTimeout: TimeoutPolicy | null;
  escalatedAt: string | null;
  decidedBy: string | null;
  decidedHow: "user" | "timeout" | null;
  comment: string | null;
  decidedAt: string | null;
  createdAt: string;
}
