// Mantine's baseline; each component's sheet comes with its code (mantineStylesPerComponent in web/vite.config.ts)
import '@mantine/core/styles/baseline.layer.css';
import '@mantine/core/styles/default-css-variables.layer.css';
import '@mantine/core/styles/global.layer.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
// after @mantine/core's sheets, as Mantine asks
import '@mantine/notifications/styles.layer.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { I18nProvider } from './i18n/i18n.tsx';
import { createQueryClient } from './api/query.ts';
import { createRouter } from './routes.tsx';
import { theme } from './theme.ts';
import { reloadForNewVersion } from './shell/reload.ts';

// A new version installed while the app was open: the old pieces of code it asks for are gone (404). Vite's
// preload says so before the page's import fails: reload once onto the new version (shell/reload.ts); if that
// happened a moment ago, let the failure reach the page, which says so in Vietnamese (shell/route-error.tsx).
window.addEventListener('vite:preloadError', (event) => {
  if (reloadForNewVersion()) event.preventDefault();
});

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
