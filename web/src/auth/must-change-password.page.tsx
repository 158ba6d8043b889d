import { Anchor, Stack } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';
import { PublicLayout } from '../ui/public-layout.tsx';
import { ChangePasswordForm } from '../profile/change-password-form.tsx';
import { useLogout } from './session.ts';

/** Shown instead of the app while the user's `mustChangePassword` is true (temporary or initial password). */
export default function MustChangePasswordPage() {
  const { t } = useI18n();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <PublicLayout title={t('mustChange.title')} subtitle={t('mustChange.help')}>
      <Stack>
        <ChangePasswordForm submitLabel={t('mustChange.submit')} fullWidth />
        <Anchor component="button" type="button" size="sm" ta="center"
          onClick={() => void logout().finally(() => navigate('/login', { replace: true }))}>
          {t('shell.logout')}
        </Anchor>
      </Stack>
    </PublicLayout>
  );
}
