/** What the step forms offer to pick from: the organization's departments, agents, tags… */
export interface Ref {
  id: string;
  name: string;
}

export interface Refs {
  departments: Ref[];
  agents: Ref[];
  /** Tag names (a `set` step adds tags by name). */
  tags: string[];
  /** Contact custom field keys (a `set` step's `info`). */
  contactFields: string[];
  /** The organization's flows by name (a `jump` goes to one). */
  flows: string[];
}

export const NO_REFS: Refs = { departments: [], agents: [], tags: [], contactFields: [], flows: [] };
