export { ACCESS_CHANNEL, createAccessService, type AccessService, type AccessServiceOptions } from "./access-service.ts";
export { invalidateOnAdminWrites } from "./invalidate-on-admin-writes.ts";
export { loadSubject } from "./load-subject.ts";
export { readPermissions } from "./read-permissions.ts";
