/**
 * A user as the HTTP API answers it (never the password hash), shared by the runtime, which reads it
 * with `Date`s, and the studio, which gets their ISO strings: `UserView<Date>` and `UserView`.
 */
export interface UserView<Time = string> {
  id: string;
  email: string;
  name: string;
  locale: string;
  active: boolean;
  departmentId: string | null;
  managerId: string | null;
  roleIds: string[];
  teamIds: string[];
  createdAt: Time;
  updatedAt: Time;
  lastLoginAt: Time | null;
}
