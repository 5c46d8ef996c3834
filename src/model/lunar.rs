//! The 农历 (Chinese lunisolar calendar) date of an edition, for the masthead: 农历十月十九.
//!
//! A table of the lunar years 1901–2100 (正月初一, month lengths, the leap month), made by
//! `tools/lunar-table.py` and checked day by day against two other calendars and against
//! new moons computed from JPL DE423 (`tools/lunar-check.py`, `tools/lunar-newmoons.py`).
//! The rule is GB/T 33661-2017's: a month begins on the day, in Beijing time (UTC+8), of
//! its new moon. Three far-future new moons fall within three minutes of midnight, where
//! the predicted slowing of the Earth's rotation (ΔT) decides the day; the table has 2057
//! 九月初一 on 09-29 and 2097 七月初一 on 08-08 (the Hong Kong Observatory's table: 09-28
//! and 08-07, with a note that both may be a day off) and 2089 八月初一 on 09-04.
//! `tools/lunar-table.py` gives the reasons.
//!
//! Not here: solar terms (节气), festivals, the zodiac animal (生肖), dates outside the
//! table's range.

use crate::model::date::Day;

/// A day of the Chinese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDay {
    /// The lunar year: the Gregorian year in which its 正月 begins.
    pub year: i32,
    /// Month, 1–12 (11 is 冬月, 12 腊月).
    pub month: u8,
    /// A leap month (闰月), which follows the month of the same number.
    pub leap: bool,
    /// Day of the month, 1–30.
    pub day: u8,
}

const MONTH_NAMES: [&str; 12] = [
    "正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月",
];

const DAY_NAMES: [&str; 30] = [
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十", //
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", //
    "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
];

const STEMS: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
const BRANCHES: [&str; 12] = [
    "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
];

impl LunarDay {
    /// Month and day as printed: 十月十九, 正月初一, 闰四月初八, 冬月廿一, 腊月三十.
    pub fn chinese(&self) -> String {
        let month = MONTH_NAMES.get(usize::from(self.month).wrapping_sub(1));
        let day = DAY_NAMES.get(usize::from(self.day).wrapping_sub(1));
        let leap = if self.leap { "闰" } else { "" };
        format!("{leap}{}{}", month.unwrap_or(&""), day.unwrap_or(&""))
    }

    /// The year's 干支 name: 乙巳 (for the lunar year 2025).
    pub fn ganzhi_year(&self) -> String {
        // 4 CE (and every 60th year from it) is 甲子.
        let cycle = i64::from(self.year) - 4;
        format!("{}{}", nth(&STEMS, cycle), nth(&BRANCHES, cycle))
    }
}

/// The name at `n`, counted round `names` (also below 0).
fn nth(names: &[&'static str], n: i64) -> &'static str {
    let len = i64::try_from(names.len()).unwrap_or(1);
    let i = usize::try_from(n.rem_euclid(len)).unwrap_or(0);
    names.get(i).copied().unwrap_or("")
}

/// The lunar day of `day`, or `None` outside the supported range: 1901-02-19 (正月初一 of
/// the lunar year 1901) to 2101-01-28 (the last day of the lunar year 2100).
pub fn lunar_day(day: Day) -> Option<LunarDay> {
    let n = day.days_since_epoch();
    let year = i32::try_from(day.year).ok()?;
    // The lunar year is the Gregorian year or, before its 正月初一, the one before.
    [year, year - 1].into_iter().find_map(|y| {
        let year = LunarYear::of(y)?;
        let into = n - year.new_year;
        (into >= 0).then(|| year.locate(into)).flatten()
    })
}

/// A `LunarDay` from its fields.
fn lunar(year: i32, month: u8, leap: bool, day: u8) -> LunarDay {
    LunarDay {
        year,
        month,
        leap,
        day,
    }
}

/// One entry of the table, unpacked.
struct LunarYear {
    year: i32,
    /// 正月初一, as days since 1970-01-01.
    new_year: i64,
    /// The leap month's number, 0 without one.
    leap_month: u8,
    /// Bit i: the i-th month of the year (the leap month in its place) has 30 days.
    long_months: u16,
}

impl LunarYear {
    fn of(year: i32) -> Option<LunarYear> {
        let index = usize::try_from(year.checked_sub(FIRST_YEAR)?).ok()?;
        let packed = *YEARS.get(index)?;
        let jan1 = Day {
            year: u32::try_from(year).ok()?,
            month: 1,
            day: 1,
        };
        Some(LunarYear {
            year,
            new_year: jan1.days_since_epoch() + i64::from(packed >> 17),
            leap_month: u8::try_from(packed >> 13 & 0xF).ok()?,
            long_months: u16::try_from(packed & 0x1FFF).ok()?,
        })
    }

    /// The day `into` days after 正月初一, `None` past the year's end.
    fn locate(&self, mut into: i64) -> Option<LunarDay> {
        let (mut month, mut leap) = (1u8, false);
        let months = if self.leap_month == 0 { 12 } else { 13 };
        for i in 0..months {
            let length = 29 + i64::from(self.long_months >> i & 1);
            if into < length {
                let day = u8::try_from(into + 1).ok()?;
                return Some(lunar(self.year, month, leap, day));
            }
            into -= length;
            if !leap && month == self.leap_month {
                leap = true;
            } else {
                (month, leap) = (month + 1, false);
            }
        }
        None
    }
}

/// The lunar year of the table's first entry.
const FIRST_YEAR: i32 = 1901;

// Each entry: bits 0–12, month i of the year (in order, the leap month in its place) has
// 30 days, else 29; bits 13–16, the leap month (0: none); bits 17–22, 正月初一 as days
// after 1 January.
// BEGIN lunar table: generated by tools/lunar-table.py, do not edit by hand
const YEARS: [u32; 200] = [
    0x620752, // 1901 辛丑: 正月初一 02-19, 354 days
    0x4c0ea5, // 1902 壬寅: 正月初一 02-08, 355 days
    0x38b64a, // 1903 癸卯: 正月初一 01-29, 闰五月, 383 days
    0x5c064b, // 1904 甲辰: 正月初一 02-16, 354 days
    0x440a9b, // 1905 乙巳: 正月初一 02-04, 355 days
    0x309556, // 1906 丙午: 正月初一 01-25, 闰四月, 384 days
    0x56056a, // 1907 丁未: 正月初一 02-13, 354 days
    0x400b59, // 1908 戊申: 正月初一 02-02, 355 days
    0x2a5752, // 1909 己酉: 正月初一 01-22, 闰二月, 384 days
    0x500752, // 1910 庚戌: 正月初一 02-10, 354 days
    0x3adb25, // 1911 辛亥: 正月初一 01-30, 闰六月, 384 days
    0x600b25, // 1912 壬子: 正月初一 02-18, 354 days
    0x480a4b, // 1913 癸丑: 正月初一 02-06, 354 days
    0x32b4ab, // 1914 甲寅: 正月初一 01-26, 闰五月, 384 days
    0x5802ad, // 1915 乙卯: 正月初一 02-14, 354 days
    0x42056b, // 1916 丙辰: 正月初一 02-03, 355 days
    0x2c4b69, // 1917 丁巳: 正月初一 01-23, 闰二月, 384 days
    0x520da9, // 1918 戊午: 正月初一 02-11, 355 days
    0x3efd92, // 1919 己未: 正月初一 02-01, 闰七月, 384 days
    0x640e92, // 1920 庚申: 正月初一 02-20, 354 days
    0x4c0d25, // 1921 辛酉: 正月初一 02-08, 354 days
    0x36ba4d, // 1922 壬戌: 正月初一 01-28, 闰五月, 384 days
    0x5c0a56, // 1923 癸亥: 正月初一 02-16, 354 days
    0x4602b6, // 1924 甲子: 正月初一 02-05, 354 days
    0x2e95b5, // 1925 乙丑: 正月初一 01-24, 闰四月, 385 days
    0x5606d4, // 1926 丙寅: 正月初一 02-13, 354 days
    0x400ea9, // 1927 丁卯: 正月初一 02-02, 355 days
    0x2c5e92, // 1928 戊辰: 正月初一 01-23, 闰二月, 384 days
    0x500e92, // 1929 己巳: 正月初一 02-10, 354 days
    0x3acd26, // 1930 庚午: 正月初一 01-30, 闰六月, 383 days
    0x5e052b, // 1931 辛未: 正月初一 02-17, 354 days
    0x480a57, // 1932 壬申: 正月初一 02-06, 355 days
    0x32b2b6, // 1933 癸酉: 正月初一 01-26, 闰五月, 384 days
    0x580b5a, // 1934 甲戌: 正月初一 02-14, 355 days
    0x4406d4, // 1935 乙亥: 正月初一 02-04, 354 days
    0x2e6ec9, // 1936 丙子: 正月初一 01-24, 闰三月, 384 days
    0x520749, // 1937 丁丑: 正月初一 02-11, 354 days
    0x3cf693, // 1938 戊寅: 正月初一 01-31, 闰七月, 384 days
    0x620a93, // 1939 己卯: 正月初一 02-19, 354 days
    0x4c052b, // 1940 庚辰: 正月初一 02-08, 354 days
    0x34ca5b, // 1941 辛巳: 正月初一 01-27, 闰六月, 384 days
    0x5a0aad, // 1942 壬午: 正月初一 02-15, 355 days
    0x46056a, // 1943 癸未: 正月初一 02-05, 354 days
    0x309b55, // 1944 甲申: 正月初一 01-25, 闰四月, 385 days
    0x560ba4, // 1945 乙酉: 正月初一 02-13, 354 days
    0x400b49, // 1946 丙戌: 正月初一 02-02, 354 days
    0x2a5a93, // 1947 丁亥: 正月初一 01-22, 闰二月, 384 days
    0x500a95, // 1948 戊子: 正月初一 02-10, 354 days
    0x38f52d, // 1949 己丑: 正月初一 01-29, 闰七月, 384 days
    0x5e0536, // 1950 庚寅: 正月初一 02-17, 354 days
    0x480aad, // 1951 辛卯: 正月初一 02-06, 355 days
    0x34b5aa, // 1952 壬辰: 正月初一 01-27, 闰五月, 384 days
    0x5805b2, // 1953 癸巳: 正月初一 02-14, 354 days
    0x420da5, // 1954 甲午: 正月初一 02-03, 355 days
    0x2e7d4a, // 1955 乙未: 正月初一 01-24, 闰三月, 384 days
    0x540d4a, // 1956 丙申: 正月初一 02-12, 354 days
    0x3d0a95, // 1957 丁酉: 正月初一 01-31, 闰八月, 383 days
    0x600a97, // 1958 戊戌: 正月初一 02-18, 355 days
    0x4c0556, // 1959 己亥: 正月初一 02-08, 354 days
    0x36cab5, // 1960 庚子: 正月初一 01-28, 闰六月, 384 days
    0x5a0ad5, // 1961 辛丑: 正月初一 02-15, 355 days
    0x4606d2, // 1962 壬寅: 正月初一 02-05, 354 days
    0x308ea5, // 1963 癸卯: 正月初一 01-25, 闰四月, 384 days
    0x560ea5, // 1964 甲辰: 正月初一 02-13, 355 days
    0x40064a, // 1965 乙巳: 正月初一 02-02, 353 days
    0x286c97, // 1966 丙午: 正月初一 01-21, 闰三月, 384 days
    0x4e0a9b, // 1967 丁未: 正月初一 02-09, 355 days
    0x3af55a, // 1968 戊申: 正月初一 01-30, 闰七月, 384 days
    0x5e056a, // 1969 己酉: 正月初一 02-17, 354 days
    0x480b69, // 1970 庚戌: 正月初一 02-06, 355 days
    0x34b752, // 1971 辛亥: 正月初一 01-27, 闰五月, 384 days
    0x5a0b52, // 1972 壬子: 正月初一 02-15, 354 days
    0x420b25, // 1973 癸丑: 正月初一 02-03, 354 days
    0x2c964b, // 1974 甲寅: 正月初一 01-23, 闰四月, 384 days
    0x520a4b, // 1975 乙卯: 正月初一 02-11, 354 days
    0x3d14ab, // 1976 丙辰: 正月初一 01-31, 闰八月, 384 days
    0x6002ad, // 1977 丁巳: 正月初一 02-18, 354 days
    0x4a056d, // 1978 戊午: 正月初一 02-07, 355 days
    0x36cb69, // 1979 己未: 正月初一 01-28, 闰六月, 384 days
    0x5c0da9, // 1980 庚申: 正月初一 02-16, 355 days
    0x460d92, // 1981 辛酉: 正月初一 02-05, 354 days
    0x309d25, // 1982 壬戌: 正月初一 01-25, 闰四月, 384 days
    0x560d25, // 1983 癸亥: 正月初一 02-13, 354 days
    0x415a4d, // 1984 甲子: 正月初一 02-02, 闰十月, 384 days
    0x640a56, // 1985 乙丑: 正月初一 02-20, 354 days
    0x4e02b6, // 1986 丙寅: 正月初一 02-09, 354 days
    0x38c5b5, // 1987 丁卯: 正月初一 01-29, 闰六月, 384 days
    0x5e06d5, // 1988 戊辰: 正月初一 02-17, 355 days
    0x480ea9, // 1989 己巳: 正月初一 02-06, 355 days
    0x34be92, // 1990 庚午: 正月初一 01-27, 闰五月, 384 days
    0x5a0e92, // 1991 辛未: 正月初一 02-15, 354 days
    0x440d26, // 1992 壬申: 正月初一 02-04, 354 days
    0x2c6a56, // 1993 癸酉: 正月初一 01-23, 闰三月, 383 days
    0x500a57, // 1994 甲戌: 正月初一 02-10, 355 days
    0x3d14d6, // 1995 乙亥: 正月初一 01-31, 闰八月, 384 days
    0x62035a, // 1996 丙子: 正月初一 02-19, 354 days
    0x4a06d5, // 1997 丁丑: 正月初一 02-07, 355 days
    0x36b6c9, // 1998 戊寅: 正月初一 01-28, 闰五月, 384 days
    0x5c0749, // 1999 己卯: 正月初一 02-16, 354 days
    0x460693, // 2000 庚辰: 正月初一 02-05, 354 days
    0x2e952b, // 2001 辛巳: 正月初一 01-24, 闰四月, 384 days
    0x54052b, // 2002 壬午: 正月初一 02-12, 354 days
    0x3e0a5b, // 2003 癸未: 正月初一 02-01, 355 days
    0x2a555a, // 2004 甲申: 正月初一 01-22, 闰二月, 384 days
    0x4e056a, // 2005 乙酉: 正月初一 02-09, 354 days
    0x38fb55, // 2006 丙戌: 正月初一 01-29, 闰七月, 385 days
    0x600ba4, // 2007 丁亥: 正月初一 02-18, 354 days
    0x4a0b49, // 2008 戊子: 正月初一 02-07, 354 days
    0x32ba93, // 2009 己丑: 正月初一 01-26, 闰五月, 384 days
    0x580a95, // 2010 庚寅: 正月初一 02-14, 354 days
    0x42052d, // 2011 辛卯: 正月初一 02-03, 354 days
    0x2c8aad, // 2012 壬辰: 正月初一 01-23, 闰四月, 384 days
    0x500ab5, // 2013 癸巳: 正月初一 02-10, 355 days
    0x3d35aa, // 2014 甲午: 正月初一 01-31, 闰九月, 384 days
    0x6205d2, // 2015 乙未: 正月初一 02-19, 354 days
    0x4c0da5, // 2016 丙申: 正月初一 02-08, 355 days
    0x36dd4a, // 2017 丁酉: 正月初一 01-28, 闰六月, 384 days
    0x5c0d4a, // 2018 戊戌: 正月初一 02-16, 354 days
    0x460c95, // 2019 己亥: 正月初一 02-05, 354 days
    0x30952e, // 2020 庚子: 正月初一 01-25, 闰四月, 384 days
    0x540556, // 2021 辛丑: 正月初一 02-12, 354 days
    0x3e0ab5, // 2022 壬寅: 正月初一 02-01, 355 days
    0x2a55b2, // 2023 癸卯: 正月初一 01-22, 闰二月, 384 days
    0x5006d2, // 2024 甲辰: 正月初一 02-10, 354 days
    0x38cea5, // 2025 乙巳: 正月初一 01-29, 闰六月, 384 days
    0x5e0725, // 2026 丙午: 正月初一 02-17, 354 days
    0x48064b, // 2027 丁未: 正月初一 02-06, 354 days
    0x32ac97, // 2028 戊申: 正月初一 01-26, 闰五月, 384 days
    0x560cab, // 2029 己酉: 正月初一 02-13, 355 days
    0x42055a, // 2030 庚戌: 正月初一 02-03, 354 days
    0x2c6ad6, // 2031 辛亥: 正月初一 01-23, 闰三月, 384 days
    0x520b69, // 2032 壬子: 正月初一 02-11, 355 days
    0x3d7752, // 2033 癸丑: 正月初一 01-31, 闰冬月, 384 days
    0x620b52, // 2034 甲寅: 正月初一 02-19, 354 days
    0x4c0b25, // 2035 乙卯: 正月初一 02-08, 354 days
    0x36da4b, // 2036 丙辰: 正月初一 01-28, 闰六月, 384 days
    0x5a0a4b, // 2037 丁巳: 正月初一 02-15, 354 days
    0x4404ab, // 2038 戊午: 正月初一 02-04, 354 days
    0x2ea55b, // 2039 己未: 正月初一 01-24, 闰五月, 384 days
    0x5405ad, // 2040 庚申: 正月初一 02-12, 355 days
    0x3e0b6a, // 2041 辛酉: 正月初一 02-01, 355 days
    0x2a5b52, // 2042 壬戌: 正月初一 01-22, 闰二月, 384 days
    0x500d92, // 2043 癸亥: 正月初一 02-10, 354 days
    0x3afd25, // 2044 甲子: 正月初一 01-30, 闰七月, 384 days
    0x5e0d25, // 2045 乙丑: 正月初一 02-17, 354 days
    0x480a55, // 2046 丙寅: 正月初一 02-06, 354 days
    0x32b4ad, // 2047 丁卯: 正月初一 01-26, 闰五月, 384 days
    0x5804b6, // 2048 戊辰: 正月初一 02-14, 354 days
    0x4005b5, // 2049 己巳: 正月初一 02-02, 355 days
    0x2c6daa, // 2050 庚午: 正月初一 01-23, 闰三月, 384 days
    0x520ec9, // 2051 辛未: 正月初一 02-11, 355 days
    0x3f1e92, // 2052 壬申: 正月初一 02-01, 闰八月, 384 days
    0x620e92, // 2053 癸酉: 正月初一 02-19, 354 days
    0x4c0d26, // 2054 甲戌: 正月初一 02-08, 354 days
    0x36ca56, // 2055 乙亥: 正月初一 01-28, 闰六月, 383 days
    0x5a0a57, // 2056 丙子: 正月初一 02-15, 355 days
    0x4404d6, // 2057 丁丑: 正月初一 02-04, 354 days
    0x2e86d5, // 2058 戊寅: 正月初一 01-24, 闰四月, 384 days
    0x540755, // 2059 己卯: 正月初一 02-12, 355 days
    0x400749, // 2060 庚辰: 正月初一 02-02, 354 days
    0x286e93, // 2061 辛巳: 正月初一 01-21, 闰三月, 384 days
    0x4e0693, // 2062 壬午: 正月初一 02-09, 354 days
    0x38f52b, // 2063 癸未: 正月初一 01-29, 闰七月, 384 days
    0x5e052b, // 2064 甲申: 正月初一 02-17, 354 days
    0x460a5b, // 2065 乙酉: 正月初一 02-05, 355 days
    0x32b55a, // 2066 丙戌: 正月初一 01-26, 闰五月, 384 days
    0x58056a, // 2067 丁亥: 正月初一 02-14, 354 days
    0x420b65, // 2068 戊子: 正月初一 02-03, 355 days
    0x2c974a, // 2069 己丑: 正月初一 01-23, 闰四月, 384 days
    0x520b4a, // 2070 庚寅: 正月初一 02-11, 354 days
    0x3d1a95, // 2071 辛卯: 正月初一 01-31, 闰八月, 384 days
    0x620a95, // 2072 壬辰: 正月初一 02-19, 354 days
    0x4a052d, // 2073 癸巳: 正月初一 02-07, 354 days
    0x34caad, // 2074 甲午: 正月初一 01-27, 闰六月, 384 days
    0x5a0ab5, // 2075 乙未: 正月初一 02-15, 355 days
    0x4605aa, // 2076 丙申: 正月初一 02-05, 354 days
    0x2e8ba5, // 2077 丁酉: 正月初一 01-24, 闰四月, 384 days
    0x540da5, // 2078 戊戌: 正月初一 02-12, 355 days
    0x400d4a, // 2079 己亥: 正月初一 02-02, 354 days
    0x2a7c95, // 2080 庚子: 正月初一 01-22, 闰三月, 384 days
    0x4e0c96, // 2081 辛丑: 正月初一 02-09, 354 days
    0x38f94e, // 2082 壬寅: 正月初一 01-29, 闰七月, 384 days
    0x5e0556, // 2083 癸卯: 正月初一 02-17, 354 days
    0x480ab5, // 2084 甲辰: 正月初一 02-06, 355 days
    0x32b5b2, // 2085 乙巳: 正月初一 01-26, 闰五月, 384 days
    0x5806d2, // 2086 丙午: 正月初一 02-14, 354 days
    0x420ea5, // 2087 丁未: 正月初一 02-03, 355 days
    0x2e8e4a, // 2088 戊申: 正月初一 01-24, 闰四月, 383 days
    0x50068b, // 2089 己酉: 正月初一 02-10, 354 days
    0x3b0c97, // 2090 庚戌: 正月初一 01-30, 闰八月, 384 days
    0x6004ab, // 2091 辛亥: 正月初一 02-18, 354 days
    0x4a055b, // 2092 壬子: 正月初一 02-07, 355 days
    0x34cad6, // 2093 癸丑: 正月初一 01-27, 闰六月, 384 days
    0x5a0b6a, // 2094 甲寅: 正月初一 02-15, 355 days
    0x460752, // 2095 乙卯: 正月初一 02-05, 354 days
    0x309725, // 2096 丙辰: 正月初一 01-25, 闰四月, 384 days
    0x540b25, // 2097 丁巳: 正月初一 02-12, 354 days
    0x3e0a8b, // 2098 戊午: 正月初一 02-01, 354 days
    0x28549b, // 2099 己未: 正月初一 01-21, 闰二月, 384 days
    0x4e04ab, // 2100 庚申: 正月初一 02-09, 354 days
];
// END lunar table

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: u32, month: u32, day: u32) -> Day {
        Day { year, month, day }
    }

    fn printed(y: u32, m: u32, d: u32) -> Option<String> {
        lunar_day(day(y, m, d)).map(|l| format!("{}年{}", l.ganzhi_year(), l.chinese()))
    }

    #[test]
    fn known_dates() {
        let cases = [
            // Our contract: the masthead of 2026-11-27.
            ((2026, 11, 27), "丙午年十月十九"),
            ((2025, 1, 29), "乙巳年正月初一"),
            // 除夕 of a year whose 腊月 has 30 days, and of one whose 腊月 has 29.
            ((2024, 2, 9), "癸卯年腊月三十"),
            ((2025, 1, 28), "甲辰年腊月廿九"),
            // Leap months: 闰二月 2023, 闰四月 2020, 闰六月 2025, 闰冬月 2033 (the "2033
            // problem": the leap month follows the 11th month).
            ((2023, 3, 22), "癸卯年闰二月初一"),
            ((2023, 4, 19), "癸卯年闰二月廿九"),
            ((2023, 4, 20), "癸卯年三月初一"),
            ((2020, 5, 23), "庚子年闰四月初一"),
            ((2025, 7, 25), "乙巳年闰六月初一"),
            ((2033, 12, 22), "癸丑年闰冬月初一"),
            ((2034, 1, 20), "癸丑年腊月初一"),
            // The range's first and last days, and the last day of 2100.
            ((1901, 2, 19), "辛丑年正月初一"),
            ((2101, 1, 28), "庚申年腊月廿九"),
            ((2100, 12, 31), "庚申年腊月初一"),
            // Days everyone remembers.
            ((1949, 10, 1), "己丑年八月初十"),
            ((2008, 8, 8), "戊子年七月初八"),
            ((2000, 1, 1), "己卯年冬月廿五"),
            ((1984, 2, 2), "甲子年正月初一"),
            // Where calendars disagree (see the module doc and tools/lunar-check.py).
            ((1933, 7, 22), "癸酉年闰五月三十"),
            ((1954, 11, 25), "甲午年冬月初一"),
            ((1978, 9, 17), "戊午年八月十五"),
            ((2057, 9, 28), "丁丑年八月三十"),
            ((2057, 9, 29), "丁丑年九月初一"),
            ((2089, 9, 4), "己酉年八月初一"),
            ((2097, 8, 7), "丁巳年六月三十"),
            ((2097, 8, 8), "丁巳年七月初一"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|&((y, m, d), want)| {
                let got = printed(y, m, d);
                (got.as_deref() != Some(want)).then(|| format!("{y}-{m}-{d}: {got:?}, want {want}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn fields() {
        assert_eq!(lunar_day(day(2020, 5, 23)), Some(lunar(2020, 4, true, 1)));
        // Before 正月初一 the lunar year is the Gregorian year before.
        assert_eq!(lunar_day(day(2025, 1, 1)).map(|l| l.year), Some(2024));
    }

    #[test]
    fn out_of_range() {
        let outside = [
            (1900, 6, 1),
            (1901, 2, 18),
            (2101, 1, 29),
            (2101, 6, 1),
            (9999, 1, 1),
        ];
        for (y, m, d) in outside {
            assert_eq!(lunar_day(day(y, m, d)), None, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn ganzhi_cycle() {
        let year = |year| lunar(year, 1, false, 1).ganzhi_year();
        assert_eq!(year(1984), "甲子");
        assert_eq!(year(2043), "癸亥");
        assert_eq!(year(1901), "辛丑");
        assert_eq!(year(2100), "庚申");
    }

    #[test]
    fn names() {
        let name = |month, leap, day| lunar(2026, month, leap, day).chinese();
        assert_eq!(name(1, false, 10), "正月初十");
        assert_eq!(name(11, false, 21), "冬月廿一");
        assert_eq!(name(12, false, 30), "腊月三十");
        assert_eq!(name(4, true, 8), "闰四月初八");
        assert_eq!(name(10, false, 20), "十月二十");
    }

    /// The day after `d` in the Gregorian calendar.
    fn next(d: Day) -> Day {
        let candidates = [
            (d.year, d.month, d.day + 1),
            (d.year, d.month + 1, 1),
            (d.year + 1, 1, 1),
        ];
        let day = candidates
            .into_iter()
            .find_map(|(y, m, d)| Day::parse(&format!("{y}-{m}-{d}")));
        day.unwrap()
    }

    /// Whether `b` can be the day after `a`: the next day of the month, or 初一 of the
    /// next month after a 29th or 30th (a leap month after its month, 正月 of the next
    /// year after 腊月).
    fn follows(a: LunarDay, b: LunarDay) -> bool {
        if b.day != 1 {
            let same_month = (b.year, b.month, b.leap) == (a.year, a.month, a.leap);
            return same_month && b.day == a.day + 1 && b.day <= 30;
        }
        let next_month = match (a.month, a.leap, b.leap) {
            (12, _, false) => b.year == a.year + 1 && b.month == 1,
            (m, false, true) => b.year == a.year && b.month == m,
            (m, _, false) => b.year == a.year && b.month == m + 1,
            _ => false,
        };
        (29..=30).contains(&a.day) && next_month
    }

    #[test]
    fn follows_rejects_broken_sequences() {
        let l = lunar;
        assert!(follows(l(2023, 2, false, 29), l(2023, 2, true, 1)));
        assert!(follows(l(2023, 2, true, 29), l(2023, 3, false, 1)));
        assert!(follows(l(2024, 12, false, 30), l(2025, 1, false, 1)));
        assert!(!follows(l(2023, 2, false, 28), l(2023, 3, false, 1)));
        assert!(!follows(l(2023, 2, true, 29), l(2023, 2, true, 1)));
        assert!(!follows(l(2023, 3, false, 29), l(2023, 2, true, 1)));
        assert!(!follows(l(2023, 12, false, 30), l(2023, 1, false, 1)));
        assert!(!follows(l(2023, 5, false, 3), l(2023, 5, false, 5)));
        assert!(!follows(l(2023, 5, false, 30), l(2023, 5, false, 31)));
    }

    /// Every day of the range: each lunar day follows the one before, every month has 29
    /// or 30 days, and the totals match the table's 200 years.
    #[test]
    fn every_day_follows_the_one_before() {
        let mut d = day(1901, 2, 19);
        let mut prev = lunar_day(d).unwrap();
        let (mut days, mut months, mut leap_months) = (1, 1, 0);
        loop {
            d = next(d);
            let Some(l) = lunar_day(d) else { break };
            assert!(follows(prev, l), "{d:?}: {l:?} after {prev:?}");
            days += 1;
            months += usize::from(l.day == 1);
            leap_months += usize::from(l.day == 1 && l.leap);
            prev = l;
        }
        assert_eq!(d, day(2101, 1, 29));
        assert_eq!(prev, lunar(2100, 12, false, 29));
        // 1901-02-19 to 2101-01-28; 200 × 12 months and one per leap month.
        assert_eq!(days, 73_028);
        assert_eq!(months, 200 * 12 + leap_months);
        assert_eq!(leap_months, 73);
    }
}
