import { useEffect, useState } from 'react';

/**
 * The text typed into a searching select, and the same text trimmed once typing has paused for
 * `delay` ms: what is sent to the server, so each key press does not start a request.
 */
export function useSearchText(delay = 250): { text: string; setText: (text: string) => void; settled: string } {
  const [text, setText] = useState('');
  const [settled, setSettled] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setSettled(text.trim()), delay);
    return () => clearTimeout(h);
  }, [text, delay]);
  return { text, setText, settled };
}
