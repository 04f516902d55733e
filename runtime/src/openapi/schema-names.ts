/**
 * `campaignMember` → `CampaignMember`.
 * @example pascalCase("serviceCase") // "ServiceCase"
 */
export function pascalCase(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

export interface EntitySchemaNames {
  record: string;
  create: string;
  update: string;
}

/**
 * Component names of an entity's schemas: `<Entity>`, `<Entity>Create`, `<Entity>Update`. Keys are
 * unique camelCase identifiers without `_`, so these never collide, except for a key that ends with
 * `Create`/`Update` (`accountCreate` vs. the create schema of `account`) or that matches a shared name
 * (`problem`): those get a `_` after the entity part, which no other name can have. Shared names must
 * not end with `Create`/`Update`.
 * @example entitySchemaNames("account", shared) // { record: "Account", create: "AccountCreate", update: "AccountUpdate" }
 * @example entitySchemaNames("problem", shared) // { record: "Problem_", create: "Problem_Create", update: "Problem_Update" }
 */
export function entitySchemaNames(key: string, shared: ReadonlySet<string>): EntitySchemaNames {
  const pascal = pascalCase(key);
  const clash = shared.has(pascal) || /(Create|Update)$/.test(pascal);
  const base = clash ? `${pascal}_` : pascal;
  return { record: base, create: `${base}Create`, update: `${base}Update` };
}
