//! Edition dates as typed (`2026-11-27`, `2026/11/27`, `2026年11月27日　星期五`) and as a Chinese
//! paper prints them in its running header: 2026年11月27日　星期五 (issue 14).

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// Year, 1900–9999.
    pub year: u32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
}

impl Day {
    /// Reads the first three numbers of `text` as year, month and day; `None` unless they make
    /// a real day.
    pub fn parse(text: &str) -> Option<Day> {
        let mut nums = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<u32>().ok());
        let (year, month, day) = (nums.next()??, nums.next()??, nums.next()??);
        let d = Day { year, month, day };
        ((1900..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=d.days_in_month()).contains(&day))
        .then_some(d)
    }

    fn days_in_month(self) -> u32 {
        let y = self.year;
        let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
        match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// 星期一 … 星期日.
    pub fn weekday(self) -> &'static str {
        // 1970-01-01 was a Thursday.
        const NAMES: [&str; 7] = [
            "星期四",
            "星期五",
            "星期六",
            "星期日",
            "星期一",
            "星期二",
            "星期三",
        ];
        let i = self.days_since_epoch().rem_euclid(7) as usize;
        NAMES.get(i).copied().unwrap_or("")
    }

    /// 2026年11月27日　星期五.
    pub fn chinese(self) -> String {
        format!(
            "{}年{}月{}日\u{3000}{}",
            self.year,
            self.month,
            self.day,
            self.weekday()
        )
    }
}

/// The date as the running header prints it: in Chinese with its weekday when it reads as a
/// day, else as typed.
pub fn header_date(text: &str) -> String {
    Day::parse(text).map_or_else(|| text.to_string(), Day::chinese)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_chinese_with_their_weekday() {
        assert_eq!(header_date("2026-11-27"), "2026年11月27日　星期五");
        assert_eq!(header_date("2026/11/29"), "2026年11月29日　星期日");
        assert_eq!(
            header_date("2022年7月26日　星期二"),
            "2022年7月26日　星期二"
        );
        assert_eq!(header_date("2022年7月26日"), "2022年7月26日　星期二");
        assert_eq!(header_date("2024-02-29"), "2024年2月29日　星期四");
        assert_eq!(header_date("2000-01-01"), "2000年1月1日　星期六");
        // Not a day: printed as typed.
        assert_eq!(header_date("2023-02-29"), "2023-02-29");
        assert_eq!(header_date("国庆特刊"), "国庆特刊");
    }
}
