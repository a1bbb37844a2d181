import type { Level } from '@khomat/policy';

// Carrying out a copy / photograph / extract request as the web app reads it:
// GET /api/requests/:id/copy-execution (modules/copying/copy-execution.routes.ts on the server).

export const COPY_EXECUTION_KEY = ['copy-execution'] as const;

export type CopyExecutionForm = 'sao_y' | 'sao_luc' | 'trich_sao' | 'chup';

export interface CopyExecutionView {
  type: 'copy' | 'photograph' | 'extract';
  forms: CopyExecutionForm[];
  requestedForm: CopyExecutionForm | null;
  approvedQuantity: number | null;
  sourceLevel: Level | null;
  electronicOriginal: boolean;
  execution: {
    id: string;
    form: CopyExecutionForm;
    equipment: string;
    quantity: number;
    spoiled: number;
    spoiledNote: string | null;
    executedBy: { id: string; name: string };
    executedAt: string;
    filesProduced: boolean;
    photoRecord: boolean;
    extract: { id: string; docType: string; numberSymbol: string | null; level: Level | null } | null;
    copies: {
      id: string;
      number: number;
      label: string;
      status: string;
      holder: string;
      verificationId: string | null;
      hasFile: boolean;
      canDownload: boolean;
    }[];
  } | null;
  can: { execute: boolean };
}

export const isCopyingType = (t: string) => t === 'copy' || t === 'photograph' || t === 'extract';

/** Levels an extract may take: the source's and those below it, highest first. */
export function partLevels(source: Level | null): Level[] {
  const order: Level[] = ['TOP_SECRET', 'SECRET', 'CONFIDENTIAL'];
  return source ? order.slice(order.indexOf(source)) : [];
}

/** GET /api/items/:id/copy-links: an extract's source item and an item's extracts. */
export interface CopyLinks {
  source: { id: string; docType: string; numberSymbol: string | null; level: Level | null } | null;
  extracts: { id: string; docType: string; numberSymbol: string | null; level: Level | null }[];
}
