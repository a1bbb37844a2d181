import { generate } from 'otplib';

const STEP = 30;

/**
 * Generates TOTP codes like a phone would, but never reuses a time step for the same secret: the
 * server refuses a step once used (replay). When the current step was already used, the next
 * step's code is sent (the server accepts one step of drift), or we wait until it is close enough.
 */
export class TotpDevice {
  private lastStep = new Map<string, number>();

  async code(secret: string): Promise<string> {
    const clean = secret.replace(/\s+/g, '').toUpperCase();
    for (;;) {
      const now = Date.now() / 1000;
      const current = Math.floor(now / STEP);
      const step = Math.max(current, (this.lastStep.get(clean) ?? -1) + 1);
      if (step > current + 1) {
        await new Promise((r) => setTimeout(r, ((current + 1) * STEP - now) * 1000 + 200));
        continue;
      }
      this.lastStep.set(clean, step);
      return generate({ secret: clean, epoch: step * STEP + 1 });
    }
  }
}
