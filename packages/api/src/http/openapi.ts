import { errorCodes } from '@orderpost/shared';
import { z } from 'zod';

export const errorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes, ...(keyof typeof errorCodes)[]]),
    message: z.string(),
    requestId: z.string(),
    field: z.string().optional(),
    issues: z.array(z.object({ code: z.string(), field: z.string(), message: z.string(), index: z.number().int().optional() })).optional(),
  }),
});

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { body: { required: true, description, content: { 'application/json': { schema } } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const errorContent = { 'application/json': { schema: errorSchema } };

/** The error answers every authenticated route can give, for the OpenAPI document. */
export const standardErrors = {
  400: { description: 'Invalid input (code and field say what)', content: errorContent },
  401: { description: 'Token missing or invalid', content: errorContent },
  403: { description: "The token's role may not do this", content: errorContent },
} as const;

export const notFoundError = { 404: { description: 'Not found', content: errorContent } } as const;
export const conflictError = { 409: { description: 'Conflicts with the current state', content: errorContent } } as const;
export const unprocessableError = { 422: { description: 'Refers to something that does not exist', content: errorContent } } as const;
