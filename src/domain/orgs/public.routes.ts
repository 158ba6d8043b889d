import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo.ts';

/** What the login page may know before anyone signs in. */
export const publicRoutes = new Hono<AppEnv>()
  .get('/info', describeRoute({ tags: ['Công khai'], summary: 'Thông tin máy chủ; tài khoản mẫu khi chạy chế độ demo' }), (c) => {
    const { demo } = c.var.deps.config;
    return c.json({
      data: {
        name: 'vanthu',
        version: '0.1.0',
        demo,
        // Only in demo mode: the login page lists the demo accounts so a newcomer can try every role.
        demoLogins: demo ? DEMO_LOGINS.map((l) => ({ ...l, password: DEMO_PASSWORD })) : [],
      },
    });
  });
