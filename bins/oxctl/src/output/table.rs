//! `-w table`: the ASCII tables etcdctl draws with olekukonko/tablewriter (headers centred,
//! cells right-aligned, cells wider than 30 columns wrapped at spaces).

/// Cells wider than this are wrapped at spaces.
const MAX_CELL_WIDTH: usize = 30;

/// Renders `header` and `rows` as etcdctl's tables look.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut columns = Columns::new(header);
    for row in rows {
        columns.measure(row);
    }
    let mut out = columns.top();
    for row in rows {
        out.push_str(&columns.row(row));
    }
    out.push_str(&columns.bottom());
    out
}

/// A table drawn a row at a time, for more rows than should be held at once: every row is
/// measured first, then the top, each row and the bottom are drawn (the rows read twice).
pub struct Columns {
    header: Vec<Vec<String>>,
    widths: Vec<usize>,
}

impl Columns {
    pub fn new(header: &[&str]) -> Columns {
        let header: Vec<Vec<String>> = header.iter().map(|h| wrap(h)).collect();
        let widths = header.iter().map(|lines| max_width(lines)).collect();
        Columns { header, widths }
    }

    /// Widens the columns to fit `row` (cells past the header's are ignored).
    pub fn measure(&mut self, row: &[String]) {
        for (width, cell) in self.widths.iter_mut().zip(row) {
            *width = (*width).max(max_width(&wrap(cell)));
        }
    }

    /// The border, the header and the border under it.
    pub fn top(&self) -> String {
        let mut out = self.border();
        out.push_str(&render_row(&self.header, &self.widths, Align::Center));
        out.push_str(&self.border());
        out
    }

    /// One row, as wide as the rows measured.
    pub fn row(&self, row: &[String]) -> String {
        let cells: Vec<Vec<String>> = row.iter().map(|c| wrap(c)).collect();
        render_row(&cells, &self.widths, Align::Right)
    }

    pub fn bottom(&self) -> String {
        self.border()
    }

    fn border(&self) -> String {
        let mut line = String::from("+");
        for w in &self.widths {
            line.push_str(&"-".repeat(w + 2));
            line.push('+');
        }
        line.push('\n');
        line
    }
}

#[derive(Clone, Copy)]
enum Align {
    Center,
    Right,
}

fn render_row(cells: &[Vec<String>], widths: &[usize], align: Align) -> String {
    let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut out = String::new();
    for line in 0..height {
        out.push('|');
        for (column, width) in widths.iter().enumerate() {
            let text = cells
                .get(column)
                .and_then(|c| c.get(line))
                .map(String::as_str)
                .unwrap_or("");
            let gap = width.saturating_sub(display_width(text));
            let (left, right) = match align {
                Align::Center => (gap / 2, gap - gap / 2),
                Align::Right => (gap, 0),
            };
            out.push(' ');
            out.push_str(&" ".repeat(left));
            out.push_str(text);
            out.push_str(&" ".repeat(right));
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

fn display_width(text: &str) -> usize {
    text.chars().count()
}

fn max_width(lines: &[String]) -> usize {
    lines.iter().map(|l| display_width(l)).max().unwrap_or(0)
}

/// tablewriter's cell wrapping: a cell is split into words at single spaces and broken into lines
/// of at most 30 columns (or its longest word) with the fewest-raggedness breaks.
fn wrap(cell: &str) -> Vec<String> {
    cell.split('\n')
        .flat_map(|paragraph| {
            let words: Vec<&str> = paragraph.split(' ').collect();
            let longest = words.iter().map(|w| display_width(w)).max().unwrap_or(0);
            let limit = MAX_CELL_WIDTH.max(longest);
            break_words(&words, limit)
        })
        .collect()
}

/// Minimum-raggedness line breaking: the cost of a line is the square of its slack, a line over
/// `limit` costs a large penalty more, the last line is free.
fn break_words(words: &[&str], limit: usize) -> Vec<String> {
    const PENALTY: i64 = 100_000;
    let n = words.len();
    if n == 0 {
        return vec![String::new()];
    }
    // Width of words i..=j joined by single spaces, from running sums: a cell of many words
    // (a value in `dump keys -w table`) must not cost a square of them in memory.
    let mut ends = Vec::with_capacity(n + 1);
    ends.push(0i64);
    for word in words {
        ends.push(ends[ends.len() - 1] + display_width(word) as i64);
    }
    let length = |i: usize, j: usize| ends[j + 1] - ends[i] + (j - i) as i64;
    let limit = limit as i64;
    let mut cost = vec![i64::from(i32::MAX); n];
    let mut next_break = vec![n; n];
    for i in (0..n).rev() {
        if length(i, n - 1) <= limit {
            cost[i] = 0;
            next_break[i] = n;
            continue;
        }
        for j in i + 1..n {
            let slack = limit - length(i, j - 1);
            // Past the limit a line costs the penalty and a square that grows with j, so once
            // that alone is no cheaper than the best break found, no later one can be.
            if slack < 0 && slack * slack + PENALTY >= cost[i] {
                break;
            }
            let mut c = slack * slack + cost[j];
            if slack < 0 {
                c += PENALTY;
            }
            if c < cost[i] {
                cost[i] = c;
                next_break[i] = j;
            }
        }
    }
    let mut lines = Vec::new();
    let mut i = 0;
    while i < n {
        lines.push(words[i..next_break[i]].join(" "));
        i = next_break[i];
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_like_tablewriter() {
        let rows = vec![vec![
            "127.0.0.1:23790".to_string(),
            "true".to_string(),
            "1.9ms".to_string(),
            String::new(),
        ]];
        let expected = "\
+-----------------+--------+-------+-------+
|    ENDPOINT     | HEALTH | TOOK  | ERROR |
+-----------------+--------+-------+-------+
| 127.0.0.1:23790 |   true | 1.9ms |       |
+-----------------+--------+-------+-------+
";
        assert_eq!(
            render(&["ENDPOINT", "HEALTH", "TOOK", "ERROR"], &rows),
            expected
        );
    }

    #[test]
    fn a_table_drawn_row_by_row_is_the_table_rendered_at_once() {
        let rows = vec![
            vec![
                "a".to_string(),
                "one two three four five six seven eight".to_string(),
            ],
            vec!["longer key".to_string(), "x".to_string()],
        ];
        let mut columns = Columns::new(&["KEY", "VALUE"]);
        rows.iter().for_each(|r| columns.measure(r));
        let drawn: String = std::iter::once(columns.top())
            .chain(rows.iter().map(|r| columns.row(r)))
            .chain(std::iter::once(columns.bottom()))
            .collect();
        assert_eq!(drawn, render(&["KEY", "VALUE"], &rows));
        assert!(drawn.contains("| longer key |"), "{drawn}");
    }

    #[test]
    fn wraps_a_cell_of_many_words_without_a_square_of_work() {
        for word in ["ab", "sixteen-chars-xx"] {
            let cell = vec![word; 100_000].join(" ");
            let lines = wrap(&cell);
            assert!(lines.iter().all(|l| l.len() <= 30), "{word}");
            assert_eq!(lines.join(" "), cell);
        }
    }

    #[test]
    fn wraps_long_cells_at_spaces() {
        let lines = wrap("rpc error: code = Unavailable desc = connection refused");
        assert!(lines.iter().all(|l| l.len() <= 30), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "rpc error: code = Unavailable desc = connection refused"
        );
    }
}
