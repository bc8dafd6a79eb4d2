import type { UserRole } from './directory.entities.js';

/**
 * Accounts for local use only: seeded by `npm start` and `npm run seed -- --demo`, never when
 * NODE_ENV=production. All share the password in SEED_PASSWORD (default `shanhai-demo`).
 */
export interface DemoAccount {
  readonly username: string;
  readonly role: UserRole;
  readonly name: string;
  readonly email: string;
  readonly county?: string;
  readonly organisation?: string;
  readonly zone?: string;
}

const applicant = (county: string, name: string): DemoAccount => ({
  username: county,
  role: 'applicant',
  name,
  email: `${county}@county.shanhai.example`,
  county,
});
const reviewer = (organisation: string, name: string): DemoAccount => ({
  username: organisation,
  role: 'reviewer',
  name,
  email: `${organisation}@shanhai.example`,
  organisation,
});

export const demoAccounts: readonly DemoAccount[] = [
  { username: 'admin', role: 'admin', name: '系统管理员', email: 'admin@shanhai.example' },
  applicant('qingyuan', '庆元县人民政府'),
  applicant('suichang', '遂昌县人民政府'),
  applicant('songyang', '松阳县人民政府'),
  applicant('wencheng', '文成县人民政府'),
  applicant('taishun', '泰顺县人民政府'),
  reviewer('lishui-commerce', '丽水市商务局 审核员'),
  reviewer('wenzhou-commerce', '温州市商务局 审核员'),
  reviewer('zj-commerce', '浙江省商务厅 审核员'),
  // A colleague in the same organisation, to whom a task may be delegated (转办).
  { ...reviewer('zj-commerce', '浙江省商务厅 审核员 李'), username: 'zj-commerce-li', email: 'zj-commerce-li@shanhai.example' },
  reviewer('zj-commerce-office', '浙江省商务厅办公室 审核员'),
  reviewer('zj-nr', '浙江省自然资源厅 会审人'),
  reviewer('zj-drc', '浙江省发展和改革委员会 会审人'),
  reviewer('zj-eco', '浙江省生态环境厅 会审人'),
  reviewer('zj-gov', '浙江省人民政府 审批人'),
  reviewer('zj-gov-office', '浙江省人民政府办公厅 发文'),
  { username: 'keqiao-zone', role: 'stakeholder', name: '绍兴柯桥经济技术开发区', email: 'keqiao-zone@shanhai.example', zone: 'keqiao' },
];
