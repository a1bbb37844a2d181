import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

// TOTP (RFC 6238, SHA-1, 6 digits, 30 s) as every authenticator app expects. One step of clock
// drift either way is accepted; a step once used is refused again (replay).

export const TOTP_ISSUER = 'KhoMat';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: account, secret });
}

/** The QR code as an SVG string, drawn here: nothing is fetched from outside. */
export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/** Returns the matched time step, or null. */
export function verifyTotp(secret: string, code: string, now: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const r = verifySync({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}
