package output_test

import (
	"fmt"

	"github.com/cascade-sim/cascade/output"
)

// MarkdownCell escapes what would break a table row or read as markup.
func ExampleMarkdownCell() {
	fmt.Println(output.MarkdownCell("agents.*.rebalance_at"))
	fmt.Println(output.MarkdownCell("variants normal; t: noise.df=4 | 5"))
	fmt.Println(output.MarkdownCell(`C:\runs`))
	fmt.Println(output.MarkdownCell("BOJ\nhike _now_ (hedge_fund)"))
	// Output:
	// agents.\*.rebalance_at
	// variants normal; t: noise.df=4 \| 5
	// C:\\runs
	// BOJ hike \_now_ (hedge_fund)
}
