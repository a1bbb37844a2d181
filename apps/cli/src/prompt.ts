import readline from 'node:readline';

/** Reads a line without echoing it (passwords). */
export async function promptHidden(question: string, envName = 'KHOMAT_ADMIN_PASSWORD'): Promise<string> {
  if (!process.stdin.isTTY) throw new Error(`Không có bàn phím để nhập mật khẩu: đặt biến ${envName}.`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let muted = false;
  out._writeToOutput = (s: string) => {
    if (!muted || s.includes('\n')) out.output.write(muted ? '\n' : s);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    muted = true;
  });
}
