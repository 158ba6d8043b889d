import { errorFactory } from './errors.ts';

export const serverPortInUse = errorFactory({
  code: 'server.port_in_use', status: 409,
  message: 'Không mở được cổng của máy chủ: cổng này đang được một chương trình khác sử dụng (có thể một máy chủ vanthu khác đang chạy). Hãy dừng chương trình đó hoặc đặt PORT khác.',
});
