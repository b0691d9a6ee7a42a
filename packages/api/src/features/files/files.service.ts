import { eq } from 'drizzle-orm';
import { files } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';

/** A stored file with its bytes and a name safe to put in a Content-Disposition header. */
export async function readFile(services: Services, id: number) {
  const [file] = await services.database.db.select().from(files).where(eq(files.id, id));
  if (!file) throw new AppError('FILE_NOT_FOUND', `There is no file ${id}`);
  return { ...file, safeName: file.filename.replace(/[^\w.\- ]+/g, '_') };
}
