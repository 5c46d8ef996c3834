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
    pub(crate) fn days_since_epoch(self) -> i64 {
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

/// The date as the running header prints it: in Chinese with its weekday when the whole text
/// is a day (`2026-11-27`, `2026/11/27`, `2026.11.27`, `2026年11月27日`, the last optionally
/// followed by its weekday), else as typed (`2026-11-27 第12345期`, `11月27日至28日`).
pub fn header_date(text: &str) -> String {
    let t = text.trim();
    let whole = is_numeric_date(t) || is_chinese_date(t);
    match Day::parse(t).filter(|_| whole) {
        Some(d) => d.chinese(),
        None => text.to_string(),
    }
}

/// `YYYY-M-D`, `YYYY/M/D` or `YYYY.M.D`, nothing else.
fn is_numeric_date(t: &str) -> bool {
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let digits = |p: &&str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())
    };
    parts.len() == 3
        && parts.first().is_some_and(|p| digits(p, 4..=4))
        && parts.iter().skip(1).all(|p| digits(p, 1..=2))
}

/// `YYYY年M月D日`, optionally followed by spaces and its weekday, nothing else.
fn is_chinese_date(t: &str) -> bool {
    let Some((date, rest)) = t.split_once('日') else {
        return false;
    };
    let rest = rest.trim_matches(|c: char| c.is_whitespace());
    let weekday = rest.is_empty()
        || (rest.chars().count() == 3
            && rest.starts_with("星期")
            && rest.ends_with(['一', '二', '三', '四', '五', '六', '日', '天']));
    let shape = date
        .split(['年', '月'])
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    weekday && shape && date.matches('年').count() == 1 && date.matches('月').count() == 1
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
        // Not a day, or more than a day: printed as typed, nothing dropped.
        assert_eq!(header_date("2023-02-29"), "2023-02-29");
        assert_eq!(header_date("国庆特刊"), "国庆特刊");
        assert_eq!(header_date("2026-11-27 第12345期"), "2026-11-27 第12345期");
        assert_eq!(header_date("2026年11月27日至28日"), "2026年11月27日至28日");
        assert_eq!(header_date("2026年2月30日"), "2026年2月30日");
    }
}
