import { parseArgs } from 'node:util';
import { boot } from '../../platform/boot.ts';
import { AppError } from '../../platform/errors.ts';
import { systemActor } from '../../policies/actor.ts';
import { createAgency, findAgencyByCode, listUnits } from '../../domain/orgs/orgs.service.ts';
import { ZCreateAgencyBody } from '../../domain/orgs/orgs.schemas.ts';
import { adminResetPassword, createUser } from '../../domain/users/users.service.ts';
import { usersRepo } from '../../domain/users/users.repository.ts';
import { ZCreateUserBody } from '../../domain/users/users.schemas.ts';

export const summary = 'Quản trị từ dòng lệnh: tạo cơ quan, tạo người dùng, đặt lại mật khẩu';

const HELP = `Cách dùng:
  vanthu admin create-agency --code 000.00.00.H01 --name "Ủy ban nhân dân tỉnh …" --short-name UBND
                             --level province|department|district|commune|central|other
                             [--parent MÃ_ĐỊNH_DANH_CẤP_TRÊN] [--place-name "Địa danh"] [--address …] [--email …] [--phone …]
                             [--governing-name "Tên cơ quan chủ quản trực tiếp"]  (mặc định: tên cơ quan cấp trên,
                             trừ Ủy ban nhân dân, Hội đồng nhân dân; --governing-name "" nếu không có)
  vanthu admin create-user --agency MÃ_ĐỊNH_DANH --username TÊN --full-name "Họ tên" --password MẬT_KHẨU
                           --roles admin,clerk,… [--email …] [--position "Chức vụ"] [--unit "Tên đơn vị"]
  vanthu admin reset-password --username TÊN --password MẬT_KHẨU_TẠM

Tác động lên cùng dữ liệu máy chủ dùng (DATA_DIR hoặc DATABASE_URL). Vai trò: clerk, leader, unit_head,
staff, archivist, admin, province_admin.`;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help')) {
    console.log(HELP);
    return sub ? 0 : 64;
  }
  const handler = { 'create-agency': createAgencyCmd, 'create-user': createUserCmd, 'reset-password': resetPasswordCmd }[sub];
  if (!handler) {
    console.error(`Lệnh con không tồn tại: ${sub}\n\n${HELP}`);
    return 64;
  }
  const { deps, close } = await boot({ logLevel: 'warn' });
  try {
    return await handler(deps.db, rest);
  } finally {
    await close();
  }
}

type Db = Awaited<ReturnType<typeof boot>>['deps']['db'];

async function agencyByCode(db: Db, code: string) {
  const agency = await findAgencyByCode(db, code);
  if (!agency) throw new AppError('agency.not_found', 404, `Không có cơ quan mã ${code}.`);
  return agency;
}

async function createAgencyCmd(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: {
    code: { type: 'string' }, name: { type: 'string' }, 'short-name': { type: 'string' }, level: { type: 'string' }, parent: { type: 'string' }, 'governing-name': { type: 'string' },
    'place-name': { type: 'string' }, address: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' },
  } });
  const parent = values.parent ? await agencyByCode(db, values.parent) : null;
  const parsed = ZCreateAgencyBody.omit({ parentId: true }).parse({
    code: values.code, name: values.name, shortName: values['short-name'], level: values.level, placeName: values['place-name'],
    address: values.address, email: values.email, phone: values.phone, governingName: values['governing-name'],
  });
  const agency = await createAgency({ db, actor: systemActor(parent?.id ?? '00000000-0000-0000-0000-000000000000'), body: { ...parsed, parentId: parent?.id ?? null } });
  console.log(`Đã tạo cơ quan ${agency.code} — ${agency.name} (id ${agency.id}).`);
  return 0;
}

async function createUserCmd(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: {
    agency: { type: 'string' }, username: { type: 'string' }, 'full-name': { type: 'string' }, password: { type: 'string' },
    roles: { type: 'string' }, email: { type: 'string' }, position: { type: 'string' }, unit: { type: 'string' },
  } });
  const agency = await agencyByCode(db, values.agency ?? '');
  const units = values.unit ? await listUnits({ db, actor: systemActor(agency.id) }) : [];
  const unit = units.find((u) => u.name === values.unit);
  if (values.unit && !unit) throw new AppError('unit.not_found', 404, `Cơ quan ${agency.code} không có đơn vị "${values.unit}".`);
  const body = ZCreateUserBody.parse({
    username: values.username, fullName: values['full-name'], password: values.password, roles: (values.roles ?? '').split(',').filter(Boolean),
    email: values.email, position: values.position, unitId: unit?.id ?? null, mustChangePassword: false,
  });
  const user = await createUser({ db, actor: systemActor(agency.id), body });
  console.log(`Đã tạo người dùng ${user.username} (${user.roles.join(', ')}) tại ${agency.name}.`);
  return 0;
}

async function resetPasswordCmd(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { username: { type: 'string' }, password: { type: 'string' } } });
  const user = await usersRepo.findByLogin(db, values.username ?? '');
  if (!user) throw new AppError('user.not_found', 404, `Không có người dùng "${values.username}".`);
  await adminResetPassword({ db, actor: systemActor(user.agencyId), id: user.id, newPassword: values.password ?? '' });
  console.log(`Đã đặt lại mật khẩu cho ${user.username}; người dùng phải đổi mật khẩu khi đăng nhập.`);
  return 0;
}
