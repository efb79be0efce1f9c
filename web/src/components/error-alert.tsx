import { Alert, Button, Group, Text } from '@mantine/core';
import { isApiError } from '../../../src/contracts/browser';

/** What went wrong, in the server's words when it said something. */
export const errorMessage = (error: unknown): string =>
  isApiError(error) || error instanceof Error ? error.message : 'Something went wrong.';

/** A failed load: the server's message and a way to try again. */
export function ErrorAlert(props: { title: string; error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" role="alert" title={props.title}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">{errorMessage(props.error)}</Text>
        {props.onRetry && (
          <Button size="xs" variant="light" color="red" onClick={props.onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
