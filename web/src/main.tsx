import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { I18nProvider } from './i18n/i18n.tsx';
import { createQueryClient } from './api/query.ts';
import { createRouter } from './routes.tsx';
import { theme } from './theme.ts';

const queryClient = createQueryClient();
const router = createRouter();
const root = document.getElementById('root');

if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <I18nProvider>
          <QueryClientProvider client={queryClient}>
            <Notifications position="top-right" />
            <RouterProvider router={router} />
          </QueryClientProvider>
        </I18nProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
