/** Word lists the demo generator composes names, addresses and subjects from. Data only. */

/** [hanzi, pinyin] pairs, so that emails and domains can be derived from Chinese names. */
export const CN_SURNAMES: ReadonlyArray<readonly [string, string]> = [
  ["王", "wang"], ["李", "li"], ["张", "zhang"], ["刘", "liu"], ["陈", "chen"], ["杨", "yang"],
  ["赵", "zhao"], ["黄", "huang"], ["周", "zhou"], ["吴", "wu"], ["徐", "xu"], ["孙", "sun"],
  ["胡", "hu"], ["朱", "zhu"], ["高", "gao"], ["林", "lin"], ["何", "he"], ["郭", "guo"],
  ["马", "ma"], ["罗", "luo"], ["梁", "liang"], ["宋", "song"], ["郑", "zheng"], ["谢", "xie"],
  ["韩", "han"], ["唐", "tang"], ["冯", "feng"], ["于", "yu"], ["董", "dong"], ["萧", "xiao"],
  ["程", "cheng"], ["曹", "cao"], ["袁", "yuan"], ["邓", "deng"], ["许", "xu"], ["傅", "fu"],
  ["沈", "shen"], ["曾", "zeng"], ["彭", "peng"], ["吕", "lv"], ["欧阳", "ouyang"], ["司马", "sima"],
];

export const CN_GIVEN_NAMES: ReadonlyArray<readonly [string, string]> = [
  ["伟", "wei"], ["芳", "fang"], ["娜", "na"], ["秀英", "xiuying"], ["敏", "min"], ["静", "jing"],
  ["丽", "li"], ["强", "qiang"], ["磊", "lei"], ["军", "jun"], ["洋", "yang"], ["勇", "yong"],
  ["艳", "yan"], ["杰", "jie"], ["娟", "juan"], ["涛", "tao"], ["明", "ming"], ["超", "chao"],
  ["秀兰", "xiulan"], ["霞", "xia"], ["平", "ping"], ["刚", "gang"], ["桂英", "guiying"], ["建华", "jianhua"],
  ["晓东", "xiaodong"], ["志强", "zhiqiang"], ["海燕", "haiyan"], ["文博", "wenbo"], ["子涵", "zihan"], ["欣怡", "xinyi"],
  ["浩然", "haoran"], ["思远", "siyuan"], ["雨桐", "yutong"], ["嘉怡", "jiayi"], ["宇航", "yuhang"], ["俊杰", "junjie"],
  ["佳琪", "jiaqi"], ["梓萱", "zixuan"], ["一鸣", "yiming"], ["立新", "lixin"],
];

export const EN_FIRST_NAMES: readonly string[] = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
  "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
  "Andrew", "Emily", "Joshua", "Michelle", "Kevin", "Amanda", "Brian", "Melissa", "Olivia", "Ethan",
  "Sophia", "Liam", "Ava", "Noah", "Isabella", "Lucas", "Mia", "Priya", "Carlos", "Yuki",
];

export const EN_LAST_NAMES: readonly string[] = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "O'Brien",
];

export const EN_COMPANY_PREFIXES: readonly string[] = [
  "North", "Blue", "Silver", "Summit", "Pioneer", "Evergreen", "Atlas", "Crescent", "Granite", "Harbor",
  "Keystone", "Liberty", "Maple", "Nova", "Orion", "Pacific", "Quantum", "Redwood", "Sterling", "Vertex",
  "Bright", "Cedar", "Delta", "Eagle", "Falcon", "Golden", "Iron", "Lakeside", "Meridian", "Prairie",
];

export const EN_COMPANY_NOUNS: readonly string[] = [
  "wind", "stone", "field", "bridge", "point", "peak", "line", "wave", "gate", "works",
  "ridge", "star", "path", "forge", "light", "river", "crest", "view", "rock", "port",
];

/** [trade word, industry option key]. */
export const EN_COMPANY_TRADES: ReadonlyArray<readonly [string, string]> = [
  ["Analytics", "technology"], ["Systems", "technology"], ["Software", "technology"], ["Logistics", "logistics"],
  ["Freight", "logistics"], ["Foods", "retail"], ["Retail", "retail"], ["Health", "healthcare"], ["Pharma", "healthcare"],
  ["Energy", "energy"], ["Solar", "energy"], ["Manufacturing", "manufacturing"], ["Motors", "manufacturing"],
  ["Robotics", "manufacturing"], ["Media", "media"], ["Capital", "finance"], ["Insurance", "finance"],
  ["Builders", "construction"], ["Consulting", "professional_services"], ["Networks", "telecom"],
  ["Hotels", "hospitality"], ["Learning", "education"], ["Farms", "agriculture"], ["Properties", "real_estate"],
];

export const EN_COMPANY_SUFFIXES: readonly string[] = ["Inc.", "LLC", "Corp.", "Group", "Ltd.", "Co.", "Holdings", "Partners"];

/** [hanzi, pinyin] brand words for Chinese company names. */
export const CN_COMPANY_WORDS: ReadonlyArray<readonly [string, string]> = [
  ["恒瑞", "hengrui"], ["华信", "huaxin"], ["远景", "yuanjing"], ["金桥", "jinqiao"], ["鼎盛", "dingsheng"],
  ["新锐", "xinrui"], ["东方", "dongfang"], ["博远", "boyuan"], ["嘉禾", "jiahe"], ["天成", "tiancheng"],
  ["中联", "zhonglian"], ["宏达", "hongda"], ["瑞丰", "ruifeng"], ["诚信", "chengxin"], ["星河", "xinghe"],
  ["云帆", "yunfan"], ["汇通", "huitong"], ["盛世", "shengshi"], ["安泰", "antai"], ["锦程", "jincheng"],
  ["智达", "zhida"], ["长青", "changqing"], ["海纳", "haina"], ["联创", "lianchuang"], ["腾跃", "tengyue"],
];

/** [hanzi, pinyin, industry option key] trade words. */
export const CN_COMPANY_TRADES: ReadonlyArray<readonly [string, string, string]> = [
  ["科技", "tech", "technology"], ["软件", "soft", "technology"], ["信息技术", "it", "technology"],
  ["制造", "mfg", "manufacturing"], ["电子", "elec", "manufacturing"], ["贸易", "trade", "retail"],
  ["食品", "food", "retail"], ["物流", "logistics", "logistics"], ["医疗器械", "med", "healthcare"],
  ["生物科技", "bio", "healthcare"], ["教育科技", "edu", "education"], ["新能源", "energy", "energy"],
  ["文化传媒", "media", "media"], ["建设工程", "build", "construction"], ["咨询", "consult", "professional_services"],
  ["投资", "invest", "finance"], ["置业", "property", "real_estate"], ["农业科技", "agri", "agriculture"],
  ["通信", "telecom", "telecom"], ["酒店管理", "hotel", "hospitality"],
];

export const CN_COMPANY_SUFFIXES: readonly string[] = ["有限公司", "股份有限公司", "集团有限公司"];

export interface City {
  city: string;
  state: string;
  country: string;
  /** Telephone area code. */
  area: string;
  /** Postal code template: each `#` becomes a random digit. */
  postal: string;
}

export const CN_CITIES: readonly City[] = [
  { city: "上海", state: "上海", country: "中国", area: "21", postal: "200###" },
  { city: "北京", state: "北京", country: "中国", area: "10", postal: "100###" },
  { city: "深圳", state: "广东", country: "中国", area: "755", postal: "518###" },
  { city: "广州", state: "广东", country: "中国", area: "20", postal: "510###" },
  { city: "杭州", state: "浙江", country: "中国", area: "571", postal: "310###" },
  { city: "成都", state: "四川", country: "中国", area: "28", postal: "610###" },
  { city: "南京", state: "江苏", country: "中国", area: "25", postal: "210###" },
  { city: "苏州", state: "江苏", country: "中国", area: "512", postal: "215###" },
  { city: "武汉", state: "湖北", country: "中国", area: "27", postal: "430###" },
  { city: "西安", state: "陕西", country: "中国", area: "29", postal: "710###" },
];

export const US_CITIES: readonly City[] = [
  { city: "San Francisco", state: "CA", country: "United States", area: "415", postal: "941##" },
  { city: "New York", state: "NY", country: "United States", area: "212", postal: "100##" },
  { city: "Austin", state: "TX", country: "United States", area: "512", postal: "787##" },
  { city: "Seattle", state: "WA", country: "United States", area: "206", postal: "981##" },
  { city: "Chicago", state: "IL", country: "United States", area: "312", postal: "606##" },
  { city: "Boston", state: "MA", country: "United States", area: "617", postal: "021##" },
  { city: "Denver", state: "CO", country: "United States", area: "303", postal: "802##" },
  { city: "Atlanta", state: "GA", country: "United States", area: "404", postal: "303##" },
  { city: "Toronto", state: "ON", country: "Canada", area: "416", postal: "M5V #A#" },
  { city: "London", state: "England", country: "United Kingdom", area: "20", postal: "EC1A #BB" },
];

export const CN_STREETS: readonly string[] = ["人民路", "中山路", "解放路", "建设大道", "科技园路", "世纪大道", "南京路", "滨江大道", "高新路", "长江路"];
export const EN_STREETS: readonly string[] = ["Main St", "Market St", "Oak Ave", "Pine St", "Maple Ave", "Cedar Rd", "Park Blvd", "Lake Dr", "Hill Rd", "Elm St"];

/** [en, zh-CN] job titles; the more senior first. */
export const TITLES: ReadonlyArray<readonly [string, string]> = [
  ["CEO", "总经理"], ["CFO", "财务总监"], ["CTO", "技术总监"], ["VP of Sales", "销售副总裁"],
  ["Head of Operations", "运营总监"], ["IT Manager", "IT 经理"], ["Purchasing Manager", "采购经理"],
  ["Marketing Manager", "市场经理"], ["Project Manager", "项目经理"], ["Office Manager", "行政经理"],
  ["Procurement Specialist", "采购专员"], ["Engineer", "工程师"], ["Business Analyst", "业务分析师"],
];

export const DEPARTMENTS: ReadonlyArray<readonly [string, string]> = [
  ["Executive", "总经办"], ["Finance", "财务部"], ["IT", "信息部"], ["Sales", "销售部"], ["Operations", "运营部"],
  ["Purchasing", "采购部"], ["Marketing", "市场部"], ["Engineering", "研发部"],
];

export interface DemoProduct {
  name: string;
  family: string;
  price: number;
}

export const PRODUCTS: readonly DemoProduct[] = [
  { name: "CRM Cloud Starter", family: "subscription", price: 1200 },
  { name: "CRM Cloud Professional", family: "subscription", price: 4800 },
  { name: "CRM Cloud Enterprise", family: "subscription", price: 14400 },
  { name: "Analytics Add-on", family: "subscription", price: 2400 },
  { name: "Marketing Automation Add-on", family: "subscription", price: 3600 },
  { name: "Service Desk Add-on", family: "subscription", price: 3000 },
  { name: "On-premise License", family: "software", price: 25000 },
  { name: "Mobile Sales App", family: "software", price: 900 },
  { name: "Data Connector Pack", family: "software", price: 5000 },
  { name: "Workflow Designer", family: "software", price: 6000 },
  { name: "Barcode Scanner", family: "hardware", price: 350 },
  { name: "Rugged Tablet", family: "hardware", price: 1100 },
  { name: "Point-of-Sale Terminal", family: "hardware", price: 1800 },
  { name: "Call Center Headset", family: "hardware", price: 150 },
  { name: "Implementation Package", family: "service", price: 15000 },
  { name: "Data Migration Service", family: "service", price: 8000 },
  { name: "Custom Integration", family: "service", price: 20000 },
  { name: "Admin Training (2 days)", family: "training", price: 3000 },
  { name: "End-user Training", family: "training", price: 1500 },
  { name: "Premium Support", family: "support", price: 6000 },
  { name: "24x7 Support", family: "support", price: 12000 },
];

export const PRODUCT_TIERS: readonly string[] = ["", " (Annual)", " (3-year)", " - Education", " - Nonprofit"];

export const OPPORTUNITY_TOPICS: readonly string[] = [
  "CRM rollout", "Sales team expansion", "Service desk upgrade", "Renewal", "Data migration",
  "Marketing automation", "Regional pilot", "Enterprise upgrade", "Mobile sales", "Integration project",
];

export const NEXT_STEPS: readonly string[] = [
  "Schedule demo", "Send proposal", "Follow up with decision maker", "Security review",
  "Negotiate discount", "Confirm budget", "Sign contract", "Technical workshop", "Reference call",
];

export const ACTIVITY_SUBJECTS: Record<string, readonly string[]> = {
  call: ["Intro call", "Discovery call", "Check-in call", "Pricing call", "Renewal call"],
  meeting: ["On-site meeting", "Product demo", "Quarterly business review", "Kick-off meeting", "Workshop"],
  task: ["Prepare quote", "Update account plan", "Send contract", "Review requirements", "Prepare presentation"],
  email: ["Send brochure", "Send case study", "Follow-up email", "Send meeting notes", "Send invoice"],
  follow_up: ["Follow up on proposal", "Follow up after event", "Follow up on support case", "Follow up on trial"],
};

export const CASE_SUBJECTS: readonly string[] = [
  "Cannot log in", "Export to Excel fails", "Invoice amount incorrect", "Sync with mobile app delayed",
  "Request for new report", "Password reset email not received", "Slow list loading", "Import rejected rows",
  "Need extra user licences", "Workflow did not trigger", "Wrong currency on quote", "Dashboard chart empty",
];

export const CAMPAIGN_THEMES: readonly string[] = [
  "Spring Launch", "Customer Summit", "Year-end Promotion", "Product Webinar Series", "Industry Expo",
  "Partner Roadshow", "Newsletter", "Retail Week", "Healthcare Forum", "Cloud Migration Day",
];
