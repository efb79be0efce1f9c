import { Anchor, Container, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';

export function NotFoundPage() {
  return (
    <Container size="sm" py="xl">
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text mt="sm">
        There is no page at this address.{' '}
        <Anchor component={Link} to="/my-roles">
          Go to My roles
        </Anchor>
        .
      </Text>
    </Container>
  );
}
