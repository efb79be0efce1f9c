import { Text } from '@mantine/core';
import { useEffect } from 'react';
import { formatTimeLeft } from '../lib/time';
import { useNow } from '../lib/use-now';

/** Time left until `end`, ticking every second; calls `onEnd` once it has passed. */
export function Countdown(props: { end: string; onEnd?: () => void }) {
  const { end, onEnd } = props;
  const now = useNow(1000);
  const left = new Date(end).getTime() - now;
  const ended = left <= 0;
  useEffect(() => {
    if (ended) onEnd?.();
  }, [ended, onEnd]);
  return (
    <Text span size="sm" role="timer" style={{ fontVariantNumeric: 'tabular-nums' }}>
      {ended ? 'Ended' : formatTimeLeft(left)}
    </Text>
  );
}
