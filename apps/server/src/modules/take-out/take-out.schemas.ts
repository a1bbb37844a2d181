import { z } from 'zod';
import { idSchema } from '../../platform/validation';

// Free text checked for emptiness by the rules (a coded, audited refusal), not here.
const freeText = z.string().max(4000);

/** The return: the holder's report on protecting it while out (required; NĐ 26/2020 Đ.5). */
export const returnBodySchema = z.object({ report: freeText }).strict();

/** A loss while out: which copy and what happened. */
export const lossBodySchema = z.object({ copyId: idSchema, description: freeText }).strict();
