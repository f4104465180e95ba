//! Go's `text/tabwriter` as etcdctl configures it for help text (minwidth 0, tabwidth 8, padding 1,
//! padchar '\t'): tab-terminated cells of consecutive lines form column blocks padded with tabs.

const TAB_WIDTH: usize = 8;
const PADDING: usize = 1;

/// Aligns `text` the way etcdctl's help output is aligned.
pub fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text
        .split('\n')
        .map(|line| line.split('\t').collect())
        .collect();
    let mut out = String::new();
    let mut widths = Vec::new();
    format_block(&lines, &mut widths, 0, lines.len(), &mut out);
    // `split('\n')` yields one more line than there are newlines; its text was written without one.
    out
}

/// Lays out lines `from..to` given the widths of the columns to the left, mirroring the recursive
/// column-block algorithm of Go's tabwriter.
fn format_block(
    lines: &[Vec<&str>],
    widths: &mut Vec<usize>,
    from: usize,
    to: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut printed_up_to = from;
    let mut this = from;
    while this < to {
        // Only cells followed by a tab take part in alignment: a line has `len - 1` of them.
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, widths, printed_up_to, this, out);
        let block_start = this;
        let mut width = 0;
        while this < to && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].chars().count() + PADDING);
            this += 1;
        }
        widths.push(width);
        format_block(lines, widths, block_start, this, out);
        widths.pop();
        printed_up_to = this;
    }
    write_lines(lines, widths, printed_up_to, to, out);
}

fn write_lines(lines: &[Vec<&str>], widths: &[usize], from: usize, to: usize, out: &mut String) {
    for (index, line) in lines.iter().enumerate().take(to).skip(from) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len() && j < widths.len() {
                let cell_width = widths[j].div_ceil(TAB_WIDTH) * TAB_WIDTH;
                let text_width = cell.chars().count();
                let tabs = (cell_width - text_width).div_ceil(TAB_WIDTH);
                out.extend(std::iter::repeat_n('\t', tabs));
            }
        }
        if index + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn pads_a_column_block_with_tabs() {
        let text = "OPTIONS:\n      --limit=0\tMax\n      --print-value-only[=false]\tOnly\n\nX\n";
        assert_eq!(
            align(text),
            "OPTIONS:\n      --limit=0\t\t\t\tMax\n      --print-value-only[=false]\tOnly\n\nX\n"
        );
    }

    #[test]
    fn empty_first_cell_takes_one_tab() {
        assert_eq!(align("NAME:\n\tget - Gets\n"), "NAME:\n\tget - Gets\n");
    }
}
