import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from '../../platform/db/types.gen.ts';

/**
 * A person's rank in their agency, which every list offering the agency's people orders by before the name
 * (Trình lãnh đạo, người duyệt and người ký, bút phê and phân công): 0 the head (Chủ tịch, Giám đốc),
 * 1 a deputy head (Phó Chủ tịch), 2 a unit's head (Trưởng phòng), 3 a unit's deputy, 4 everyone else.
 * vanthu keeps the hierarchy only in the roles (leader, unit_head) and the position's words: a deputy's
 * position starts with «Phó» (Phó Chủ tịch, Phó Giám đốc, Phó Trưởng phòng).
 */
export function userRank(eb: ExpressionBuilder<DB, 'appUser'>) {
  const roles = eb.ref('appUser.roles');
  // NFC: a position typed with combining marks (Unikey's «Unicode tổ hợp») still starts with «Phó»
  const isDeputy = sql<boolean>`normalize(${eb.ref('appUser.position')}, NFC) ~ '^\\s*(Phó|PHÓ|phó)\\s'`;
  return sql<number>`case when 'leader' = any(${roles}) then (case when ${isDeputy} then 1 else 0 end)
    when 'unit_head' = any(${roles}) then (case when ${isDeputy} then 3 else 2 end) else 4 end`;
}
