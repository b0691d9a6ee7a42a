/** Token roles (DESIGN.md, security model). */
export const roles = ['admin', 'agent', 'integration'] as const;
export type Role = (typeof roles)[number];
