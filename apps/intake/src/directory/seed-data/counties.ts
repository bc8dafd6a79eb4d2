/**
 * The 26 mountain counties and their prefecture cities, per the provincial list of 2021–2023
 * (see shared/design/domain.md). Membership changed in Aug 2024 and May 2025, so every entry is dated.
 * The seed loads them into intake's directory once; from then on the records are the admins'.
 */
export interface City {
  readonly code: string;
  readonly name: string;
}
export interface County {
  readonly code: string;
  readonly name: string;
  readonly cityCode: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

export const cities: readonly City[] = [
  { code: 'hangzhou', name: '杭州市' },
  { code: 'wenzhou', name: '温州市' },
  { code: 'jinhua', name: '金华市' },
  { code: 'quzhou', name: '衢州市' },
  { code: 'taizhou', name: '台州市' },
  { code: 'lishui', name: '丽水市' },
  { code: 'zhoushan', name: '舟山市' },
];

const LIST_START = '2021-01-01';
const county = (code: string, name: string, cityCode: string, validTo: string | null = null, validFrom = LIST_START): County => ({
  code,
  name,
  cityCode,
  validFrom,
  validTo,
});

export const counties: readonly County[] = [
  county('chunan', '淳安县', 'hangzhou'),
  county('yongjia', '永嘉县', 'wenzhou', '2025-05-01'),
  county('pingyang', '平阳县', 'wenzhou', '2024-08-01'),
  county('cangnan', '苍南县', 'wenzhou', '2025-05-01'),
  county('wencheng', '文成县', 'wenzhou'),
  county('taishun', '泰顺县', 'wenzhou'),
  county('panan', '磐安县', 'jinhua'),
  county('wuyi', '武义县', 'jinhua'),
  county('kecheng', '柯城区', 'quzhou', '2024-08-01'),
  county('qujiang', '衢江区', 'quzhou'),
  county('jiangshan', '江山市', 'quzhou', '2025-05-01'),
  county('longyou', '龙游县', 'quzhou'),
  county('changshan', '常山县', 'quzhou'),
  county('kaihua', '开化县', 'quzhou'),
  county('sanmen', '三门县', 'taizhou'),
  county('tiantai', '天台县', 'taizhou'),
  county('xianju', '仙居县', 'taizhou'),
  county('liandu', '莲都区', 'lishui', '2024-08-01'),
  county('longquan', '龙泉市', 'lishui'),
  county('qingtian', '青田县', 'lishui'),
  county('yunhe', '云和县', 'lishui'),
  county('qingyuan', '庆元县', 'lishui'),
  county('jinyun', '缙云县', 'lishui'),
  county('suichang', '遂昌县', 'lishui'),
  county('songyang', '松阳县', 'lishui'),
  county('jingning', '景宁畲族自治县', 'lishui'),
  // Joined as "山区海岛县" in Aug 2024.
  county('dongtou', '洞头区', 'wenzhou', null, '2024-08-01'),
  county('shengsi', '嵊泗县', 'zhoushan', null, '2024-08-01'),
];
