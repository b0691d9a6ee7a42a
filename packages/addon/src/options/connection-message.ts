import type { ConnectionReport } from '../features/connection/test-connection.js';
import type { Translate } from '../features/i18n/translate.js';

/** The test result as the seller reads it: whose token and which role, or exactly what is wrong. */
export function connectionMessage(report: ConnectionReport, t: Translate): string {
  if (report.ok) return t('connectionOk', report.tokenName, report.role, report.shopName);
  return t(`connection_${report.problem}`, report.detail ?? '');
}
