//! Importing companies into the catalog table from JSONL or CSV: every row validated, every bad
//! row reported with its line number, good rows upserted by id (re-importing is idempotent).
use anyhow::{Context, Result};
use engine::catalog::CatalogCompany;
use engine::import::{parse_csv_record, parse_json_line};
use std::path::Path;
use store::catalog::CatalogStore;

#[derive(Debug, Default)]
pub struct ImportReport {
    pub rows: usize,
    pub imported: usize,
    /// (line number, what is wrong)
    pub rejected: Vec<(usize, String)>,
}

/// Rows of a file with their 1-based line numbers (CSV: the header is line 1).
pub fn read_rows(path: &Path) -> Result<Vec<(usize, Result<CatalogCompany, String>)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        return Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, parse_json_line(l)))
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(String::from).collect();
    Ok(reader
        .records()
        .map(|r| match r {
            Ok(rec) => {
                let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
                let fields: Vec<String> = rec.iter().map(String::from).collect();
                (line, parse_csv_record(&headers, &fields))
            }
            Err(e) => (
                e.position().map(|p| p.line() as usize).unwrap_or(0),
                Err(format!("unreadable CSV: {e}")),
            ),
        })
        .collect())
}

/// Rows per `CatalogStore::put`: each put updates the statistics of every market it touches once,
/// so larger puts update them fewer times (the real dataset: 54 s with 500, see the closing note).
const ROWS_PER_WRITE: usize = 5000;

pub async fn import(
    store: &CatalogStore,
    path: &Path,
    show_progress: bool,
) -> Result<ImportReport> {
    let rows = read_rows(path)?;
    let bar = if show_progress {
        let bar = indicatif::ProgressBar::new(rows.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} rows ({per_sec}, eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut report = ImportReport {
        rows: rows.len(),
        ..Default::default()
    };
    let mut batch = Vec::with_capacity(ROWS_PER_WRITE);
    for (line, row) in rows {
        match row {
            Ok(c) => batch.push(c),
            Err(e) => {
                let message = format!("line {line}: {e}");
                // Without a terminal the bar draws nothing, its `println` included: a log
                // must still get every rejected row.
                if bar.is_hidden() {
                    eprintln!("{message}");
                } else {
                    bar.println(message);
                }
                report.rejected.push((line, e));
            }
        }
        if batch.len() == ROWS_PER_WRITE {
            store
                .put(&batch)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            report.imported += batch.len();
            bar.inc(batch.len() as u64);
            batch.clear();
        }
        bar.set_message(format!("{} rejected", report.rejected.len()));
    }
    store
        .put(&batch)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    report.imported += batch.len();
    bar.inc(batch.len() as u64);
    bar.finish();
    Ok(report)
}
