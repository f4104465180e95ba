//! `-w table`: the ASCII tables etcdctl draws with olekukonko/tablewriter (headers centred,
//! cells right-aligned, cells wider than 30 columns wrapped at spaces).

/// Cells wider than this are wrapped at spaces.
const MAX_CELL_WIDTH: usize = 30;

/// Renders `header` and `rows` as etcdctl's tables look.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let header_cells: Vec<Vec<String>> = header.iter().map(|h| wrap(h)).collect();
    let body: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|row| row.iter().map(|c| wrap(c)).collect())
        .collect();
    let mut widths = vec![0usize; columns];
    for (column, lines) in header_cells.iter().enumerate() {
        widths[column] = widths[column].max(max_width(lines));
    }
    for row in &body {
        for (column, lines) in row.iter().enumerate().take(columns) {
            widths[column] = widths[column].max(max_width(lines));
        }
    }
    let border: String = {
        let mut line = String::from("+");
        for w in &widths {
            line.push_str(&"-".repeat(w + 2));
            line.push('+');
        }
        line.push('\n');
        line
    };
    let mut out = border.clone();
    out.push_str(&render_row(&header_cells, &widths, Align::Center));
    out.push_str(&border);
    for row in &body {
        out.push_str(&render_row(row, &widths, Align::Right));
    }
    out.push_str(&border);
    out
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
    // length[i][j]: width of words i..=j joined by single spaces.
    let mut length = vec![vec![0i64; n]; n];
    for i in 0..n {
        length[i][i] = display_width(words[i]) as i64;
        for j in i + 1..n {
            length[i][j] = length[i][j - 1] + 1 + display_width(words[j]) as i64;
        }
    }
    let limit = limit as i64;
    let mut cost = vec![i64::from(i32::MAX); n];
    let mut next_break = vec![n; n];
    for i in (0..n).rev() {
        if length[i][n - 1] <= limit {
            cost[i] = 0;
            next_break[i] = n;
            continue;
        }
        for j in i + 1..n {
            let slack = limit - length[i][j - 1];
            let mut c = slack * slack + cost[j];
            if length[i][j - 1] > limit {
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
    fn wraps_long_cells_at_spaces() {
        let lines = wrap("rpc error: code = Unavailable desc = connection refused");
        assert!(lines.iter().all(|l| l.len() <= 30), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "rpc error: code = Unavailable desc = connection refused"
        );
    }
}
