//! The comparison's glossary: what a spec name means, in one plain sentence a buyer reads when
//! they tap the name (CLTC, 等效全电里程, 快充时间, L2 辅助驾驶 ...). Keyed by the spec item's
//! key in the standard layout; a spec with no entry shows no explanation.

/// The explanation of the spec item `key`, if it has one.
pub fn explain(key: &str) -> Option<&'static str> {
    ENTRIES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, text)| *text)
}

/// `(spec item key, one sentence)`.
const ENTRIES: [(&str, &str); 35] = [
    ("official_price_yuan", "厂商指导价是车企公布的建议零售价，不含购置税、保险和上牌费用；成交价以门店报价为准。"),
    ("manufacturer", "生产这款车的企业，合资品牌常由中外双方合资的公司生产。"),
    ("vehicle_class", "按车身尺寸和定位划分的级别，如紧凑型车、中型SUV；同级别车型通常空间和价位相近。"),
    ("energy_type", "车辆的动力来源：纯电动只用电池，插电混动可充电也可加油，增程式由发动机发电、电机驱动，燃油车只加油。"),
    ("range_cltc_km", "CLTC续航是按中国轻型汽车行驶工况（CLTC）测出的纯电续航，偏重城市路况，日常实际续航一般约为它的七到八成。"),
    ("range_miit_km", "工信部续航是车企申报、工信部公示的纯电续航，新车多按CLTC工况测定。"),
    ("charge_time_h", "充电时间是厂商公布的充电所需时长，快充多指从30%充到80%，慢充多指交流桩从低电量充满。"),
    ("fast_charge_soc_pct", "快充电量是快充时间所对应的电量区间，例如30%-80%。"),
    ("max_power_kw", "最大功率决定加速和超车的能力，1千瓦约等于1.36马力。"),
    ("max_torque_nm", "最大扭矩决定起步和中低速加速的力度，电机的扭矩几乎从零转速就能全部输出。"),
    ("accel_0_100_s", "官方百公里加速是从静止加速到100公里/小时所需秒数，数值越小越快。"),
    ("power_consumption_kwh_100km", "百公里电耗是每行驶100公里消耗的电量，数值越小越省电，乘以电价即每百公里的电费。"),
    ("fuel_consumption_l_100km", "WLTC综合油耗是按全球统一测试工况测得的每百公里油耗，数值越小越省油。"),
    ("fuel_equivalent_l_100km", "电能当量燃料消耗量是把电耗按能量折算成的汽油升数，便于与燃油车比较能耗。"),
    ("battery_capacity_kwh", "电池容量是电池能储存的电量（千瓦时，即度），容量越大，续航通常越长。"),
    ("battery_type", "电池的化学体系：磷酸铁锂安全、寿命长、成本低；三元锂能量密度高、低温表现更好。"),
    ("battery_energy_density_wh_kg", "能量密度是每千克电池储存的能量，数值越高，同样重量的电池续航越长。"),
    ("battery_charge_rate_c", "充电倍率表示电池能承受的充电速度，2C约半小时充满，倍率越高快充越快。"),
    ("battery_warranty", "电池组质保是厂商对动力电池的保修年限和里程，部分品牌对首任车主终身质保。"),
    ("length_mm", "车长影响车内空间和停车难度，车越长空间通常越大，但停车入位也更难。"),
    ("wheelbase_mm", "轴距是前后车轮中心的距离，轴距越长，后排腿部空间通常越宽敞。"),
    ("min_ground_clearance_mm", "最小离地间隙是车底最低点到地面的距离，越大越不易刮底，通过性越好。"),
    ("curb_weight_kg", "整备质量是加满油液、不载人时的车重，越重通常越稳，但能耗也会更高。"),
    ("trunk_volume_l", "行李舱容积以升计，数值越大能放的行李越多，放倒后排座椅后通常还能更大。"),
    ("drag_coefficient_cd", "风阻系数越小，高速行驶阻力越小，对电动车续航帮助越明显。"),
    ("drive_type", "驱动方式：前驱省空间、省能耗；后驱操控更好；四驱在雨雪和坏路上更稳。"),
    ("adas_level", "辅助驾驶级别按国标分级：L2为组合驾驶辅助，可同时控制方向和车速，但驾驶员必须全程监控、随时接管。"),
    ("navigation_assisted_driving", "导航辅助驾驶（NOA）可按导航路线在高速或城市道路上自动变道、上下匝道，仍属L2辅助驾驶，驾驶员须随时接管。"),
    ("cruise_control", "巡航系统：定速巡航保持设定车速；自适应巡航还会跟随前车自动加减速；全速域可跟停起步。"),
    ("automatic_emergency_braking", "主动刹车（AEB）在检测到碰撞风险且驾驶员未及时制动时自动刹车，可减轻或避免碰撞。"),
    ("lane_centering", "车道居中保持会持续微调方向，让车辆保持在车道中间行驶。"),
    ("heat_pump", "热泵空调在冬季制热比传统电加热更省电，可减少低温时的续航损失。"),
    ("center_screen_size_in", "中控屏尺寸以英寸计，1英寸约2.54厘米。"),
    ("ota_updates", "OTA升级指车辆可通过网络远程更新软件，功能和体验可以在购车后持续改进。"),
    ("v2l_power_station", "对外放电（VTOL）可把车当作移动电源，露营时给电器供电。"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_is_one_sentence_and_keys_are_unique() {
        let mut keys: Vec<&str> = ENTRIES.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ENTRIES.len(), "a key twice");
        for (key, text) in ENTRIES {
            assert!(text.ends_with('。'), "{key}: ends a sentence");
            assert_eq!(text.matches('。').count(), 1, "{key}: one sentence");
            assert!(text.chars().count() <= 80, "{key}: short");
        }
        assert!(explain("range_cltc_km").unwrap().contains("CLTC"));
        assert_eq!(explain("no_such_item"), None);
    }
}
