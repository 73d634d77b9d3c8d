import { useEffect, useState } from 'react';

/**
 * Runs `load` once when the component mounts and gives its answer (undefined while loading).
 * An answer that arrives after the component is gone is dropped.
 */
export const useAnswer = <T>(load: () => Promise<T>): [T | undefined, (answer: T) => void] => {
  const [answer, setAnswer] = useState<T | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void load().then((value) => {
      if (live) setAnswer(value);
    });
    return () => {
      live = false;
    };
    // Loaded once per mount, as a panel loads once per issue view.
  }, []);
  return [answer, setAnswer];
};
