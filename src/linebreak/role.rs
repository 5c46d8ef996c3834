//! What a set line is: the tag a line keeps from the flow (which makes it) to the page and the
//! back ends (which may tag or colour it).

/// What a set line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    /// Body copy (on the grid).
    Body,
    /// Headline block (引题, 主题, 副题) or running header.
    Headline,
    /// Cross-head (分题).
    CrossHead,
    /// Jump line (下转/上接).
    Jump,
    /// Photo caption or credit.
    Caption,
}
