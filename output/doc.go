// Package output writes run results: CSV, Parquet, JSON, plots, reports.
package output
