// Command fusion keeps the simulator's floating-point results the same on
// every architecture by keeping the Go compiler from fusing multiply-adds.
//
// On arm64, ppc64le, s390x, riscv64 and loong64, and on amd64 built with
// GOAMD64=v3, the compiler may compute x*y + z (and z - x*y, x*y - z, z +=
// x*y, ..., possibly across statements and through inlined calls) as one
// fused multiply-add that skips the rounding of x*y. The result then differs
// in its last bits from the default amd64 build, and for example from.Cash
// += q*x; to.Cash -= q*x no longer moves exactly the same amount. An
// explicit conversion float64(x*y) rounds the product and forbids the fusion
// (The Go Programming Language Specification, Arithmetic operators); on the
// default amd64 build it is a no-op, so results there do not change.
//
// The tool builds the module's non-test code for each architecture with
// -gcflags=<module>/...=-d=fmahash=vn, which makes the compiler name every
// multiply-add it could fuse (and fuse none), and then wraps the product of
// each such site in a conversion to its own type:
//
//	go run ./.ci/fusion            # rewrite the sites, print the files changed
//	go run ./.ci/fusion -check     # only list the sites; exit 1 if there are any
//	go run ./.ci/fusion -arch arm64,amd64/v3 -check
//
// Builds use the build cache, which replays the compiler's messages; -a
// rebuilds everything (slow: the standard library too, for each target).
//
// A quotient by a constant counts as a product (x/2 is compiled as x*0.5).
// A product that meets the addition through a variable (t := x*y; s := t +
// z), a field stored and loaded again, an inlined call's parameter (add(x*y)
// with add adding its argument) or an inlined call's result is found with
// go/types and wrapped where it is computed; the result of a call into
// another module is converted at the call. Sites it cannot resolve are
// listed, to be fixed by hand the same way; the tool then exits 1. Sites in
// a dependency's code inlined into the module's are printed as notes and
// not counted: the dependency's own code is compiled with fusion anyway.
//
// cmd/cascade/cli's TestNoFusedMultiplyAdd runs -check for arm64 and amd64/v3.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var (
	archs   = flag.String("arch", "arm64,amd64/v3,ppc64le,s390x,riscv64,loong64", "targets, GOARCH[/level] separated by commas")
	check   = flag.Bool("check", false, "list the sites without changing anything; exit 1 if there are any")
	rebuild = flag.Bool("a", false, "rebuild everything instead of using the build cache")
)

// A site is a multiply-add the compiler could fuse: its position (file:line:col
// of the + or -, or of a += or -=), the calls it is inlined through
// (outermost first), and the targets where it is fused.
type site struct {
	pos   string
	calls []string
	archs []string
}

func main() {
	flag.Parse()
	root, mod := goList("-m", "-f", "{{.Dir}}\n{{.Path}}")
	if err := os.Chdir(root); err != nil {
		fail(err)
	}
	for round := 1; ; round++ {
		sites := list(root, mod)
		if len(sites) == 0 {
			fmt.Printf("no fused multiply-add on %s\n", *archs)
			return
		}
		if *check {
			for _, s := range sites {
				fmt.Printf("%s: fused multiply-add on %s%s\n", s.pos, strings.Join(s.archs, ", "), via(s))
			}
			fmt.Printf("%d sites: wrap each product in float64(...) (go run ./.ci/fusion does it)\n", len(sites))
			os.Exit(1)
		}
		changed, bad := rewrite(sites)
		if !changed || round == 5 {
			fmt.Printf("%d sites left (%d unresolved) to fix by hand: wrap the product where it is computed\n", len(sites), bad)
			os.Exit(1)
		}
	}
}

func via(s site) string {
	if len(s.calls) == 0 {
		return ""
	}
	return " (inlined at " + strings.Join(s.calls, " ← ") + ")"
}

var triggered = regexp.MustCompile(`^fmahash triggered (.*?) (\[DISABLED\] )?[01]+$`)

// list builds the module for each target and returns the sites reported in
// its files. Sites in a dependency's code inlined into the module's are
// printed as notes: the dependency's own code is not checked either.
func list(root, mod string) []site {
	byPos := map[string]*site{}
	for _, a := range strings.Split(*archs, ",") {
		arch, level, _ := strings.Cut(a, "/")
		args := []string{"build", "-gcflags=" + mod + "/...=-d=fmahash=vn", "-o", os.DevNull}
		if *rebuild {
			args = append(args, "-a")
		}
		cmd := exec.Command("go", append(args, "./...")...)
		cmd.Env = append(os.Environ(), "GOARCH="+arch, "CGO_ENABLED=0")
		if level != "" {
			cmd.Env = append(cmd.Env, "GO"+strings.ToUpper(strings.TrimSuffix(arch, "le"))+"="+level)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			fail(fmt.Errorf("GOARCH=%s go %s: %v\n%s", a, strings.Join(args, " "), err, out))
		}
		for _, line := range strings.Split(string(out), "\n") {
			m := triggered.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			chain := strings.Split(m[1], "; ")
			for i, p := range chain {
				if rel, err := filepath.Rel(root, p); err == nil && filepath.IsAbs(p) && !strings.HasPrefix(rel, "..") {
					p = rel
				}
				chain[i] = path.Clean(strings.TrimPrefix(filepath.ToSlash(p), mod+"/"))
			}
			key := strings.Join(chain, "; ")
			s := byPos[key]
			if s == nil {
				s = &site{pos: chain[len(chain)-1], calls: chain[:len(chain)-1]}
				byPos[key] = s
			}
			if n := len(s.archs); n == 0 || s.archs[n-1] != a {
				s.archs = append(s.archs, a)
			}
		}
	}
	var sites, deps []site
	for _, s := range byPos {
		if strings.HasPrefix(s.pos, "../") || path.IsAbs(s.pos) {
			deps = append(deps, *s)
		} else {
			sites = append(sites, *s)
		}
	}
	for _, l := range [][]site{deps, sites} {
		sort.Slice(l, func(i, j int) bool {
			return less(l[i].pos, l[j].pos) || l[i].pos == l[j].pos && strings.Join(l[i].calls, ";") < strings.Join(l[j].calls, ";")
		})
	}
	for _, s := range deps {
		fmt.Printf("note: %s: in a dependency, fused on %s%s\n", s.pos, strings.Join(s.archs, ", "), via(s))
	}
	return sites
}

// less orders file:line:col positions by file, then line and column as numbers.
func less(a, b string) bool {
	var fa, fb string
	var la, ca, lb, cb int
	fmt.Sscanf(strings.Replace(a, ":", " ", -1), "%s %d %d", &fa, &la, &ca)
	fmt.Sscanf(strings.Replace(b, ":", " ", -1), "%s %d %d", &fb, &lb, &cb)
	if fa != fb {
		return fa < fb
	}
	return la < lb || la == lb && ca < cb
}

// A pkg is a type-checked package of the module, parsed from its files.
type pkg struct {
	files map[string]*ast.File // by path relative to the module root
	info  *types.Info
	types *types.Package
}

var fset = token.NewFileSet()

// rewrite wraps the products of sites, printing the files it changes, and
// returns whether it changed any and how many sites it could not resolve.
func rewrite(sites []site) (changed bool, bad int) {
	r := resolver{edits: map[string]map[ast.Expr]string{}, seen: map[ast.Node]bool{}}
	r.pkgs, r.funcs = load()
	for _, s := range sites {
		file := strings.Split(s.pos, ":")[0]
		p := r.pkgs[path.Dir(file)]
		if p == nil || p.files[file] == nil || !r.site(p, p.files[file], s.pos, s.calls) {
			fmt.Printf("%s: no product found for this site%s\n", s.pos, via(s))
			bad++
		}
	}
	var names []string
	for name := range r.edits {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			fail(err)
		}
		type insert struct {
			off  int
			text string
		}
		var in []insert
		tf := fset.File(r.pkgs[path.Dir(name)].files[name].Pos())
		for e, typ := range r.edits[name] {
			if p, ok := e.(*ast.ParenExpr); ok { // (x*y) becomes float64(x*y)
				in = append(in, insert{tf.Offset(p.Lparen), typ})
			} else {
				in = append(in, insert{tf.Offset(e.Pos()), typ + "("}, insert{tf.Offset(e.End()), ")"})
			}
		}
		sort.SliceStable(in, func(i, j int) bool { return in[i].off > in[j].off })
		for _, x := range in {
			src = append(src[:x.off], append([]byte(x.text), src[x.off:]...)...)
		}
		if src, err = format.Source(src); err != nil {
			fail(fmt.Errorf("%s: %v", name, err))
		}
		if err := os.WriteFile(name, src, 0o644); err != nil {
			fail(err)
		}
		fmt.Println(name)
		changed = true
	}
	return changed, bad
}

type resolver struct {
	pkgs  map[string]*pkg // by directory relative to the module root
	funcs map[string]decl // by types.Func.FullName
	edits map[string]map[ast.Expr]string
	seen  map[ast.Node]bool // the functions whose results are done (or being done)
}

// A decl is a function of the module and where it is declared.
type decl struct {
	p  *pkg
	f  *ast.File
	fn *ast.FuncDecl
}

// site finds the + or -, += or -= (or *: a product the compiler fuses into a
// conversion) at pos in f and wraps the products it adds.
func (r resolver) site(p *pkg, f *ast.File, pos string, calls []string) bool {
	var ops []ast.Expr
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if at(n.OpPos) == pos && n.Op == token.MUL {
				ops = []ast.Expr{n}
			} else if at(n.OpPos) == pos && (n.Op == token.ADD || n.Op == token.SUB) {
				ops = []ast.Expr{n.X, n.Y}
			}
		case *ast.AssignStmt:
			if at(n.TokPos) == pos && (n.Tok == token.ADD_ASSIGN || n.Tok == token.SUB_ASSIGN) {
				ops = n.Rhs
			}
		}
		return ops == nil
	})
	if r.values(p, f, ops, calls, noCalls) {
		return true
	}
	for _, e := range ops {
		if r.operand(p, f, e, calls, allCalls) {
			return true
		}
	}
	return false
}

// follow tells which calls values and operand follow.
type follow int

const (
	noCalls     follow = iota
	allCalls           // into the module's functions, and else convert the call
	moduleCalls        // only into the module's functions
)

// values wraps the products among es, which are the operands of a site, the
// values assigned to a variable (or field), the arguments passed for a
// parameter or the results a function returns, following calls as call
// says: site follows calls only if it finds no product without.
func (r resolver) values(p *pkg, f *ast.File, es []ast.Expr, calls []string, call follow) bool {
	found := false
	for _, e := range es {
		found = r.operand(p, f, e, calls, call) || found
	}
	return found
}

// operand wraps e if it is a product or a quotient by a constant (which the
// compiler turns into a product when the constant is a power of two), in
// parentheses or negated; or the products that e stands for if it is a
// variable, a parameter or a field; or, as call says, the products a called
// function of the module returns, or else the call itself.
func (r resolver) operand(p *pkg, f *ast.File, e ast.Expr, calls []string, call follow) bool {
	outer := e
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.UnaryExpr:
			if x.Op == token.SUB || x.Op == token.ADD {
				e, outer = x.X, x.X
				continue
			}
		case *ast.BinaryExpr:
			product := x.Op == token.MUL || x.Op == token.QUO && p.info.Types[x.Y].Value != nil
			return product && p.info.Types[x].Value == nil && r.wrap(p, f, outer, x)
		case *ast.Ident:
			return r.ident(p, f, x, calls, call)
		case *ast.SelectorExpr, *ast.IndexExpr: // a store the compiler forwards to this load
			return r.values(p, f, stored(enclosing(f, x.Pos()), x), nil, call)
		case *ast.CallExpr:
			if tv := p.info.Types[x.Fun]; call == noCalls || tv.IsType() || tv.IsBuiltin() {
				return false
			}
			if found, known := r.results(p, x); known {
				return found
			}
			return call == allCalls && r.wrap(p, f, outer, x)
		}
		return false
	}
}

// ident wraps the products assigned to the variable id, or, if id is a
// parameter of the function that was inlined at calls, the products passed
// for it.
func (r resolver) ident(p *pkg, f *ast.File, id *ast.Ident, calls []string, call follow) bool {
	v, ok := p.info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	if k := paramIndex(p, enclosing(f, id.Pos()), v); k >= 0 {
		if len(calls) == 0 {
			return false
		}
		pos := calls[len(calls)-1]
		name := strings.Split(pos, ":")[0]
		cp := r.pkgs[path.Dir(name)]
		if cp == nil || cp.files[name] == nil {
			return false
		}
		found := false
		ast.Inspect(cp.files[name], func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && at(c.Lparen) == pos && k < len(c.Args) && !found {
				found = r.values(cp, cp.files[name], c.Args[k:k+1], calls[:len(calls)-1], call)
			}
			return !found
		})
		return found
	}
	return r.values(p, f, assigned(p, f, v), nil, call)
}

// assigned returns the values assigned to the local variable v in f (a
// closure may assign one its enclosing function declares).
func assigned(p *pkg, f *ast.File, v *types.Var) (values []ast.Expr) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) || n.Tok != token.DEFINE && n.Tok != token.ASSIGN {
				break
			}
			for i, l := range n.Lhs {
				if l, ok := l.(*ast.Ident); ok && (p.info.Defs[l] == v || p.info.Uses[l] == v) {
					values = append(values, n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, l := range n.Names {
				if p.info.Defs[l] == v && len(n.Names) == len(n.Values) {
					values = append(values, n.Values[i])
				}
			}
		}
		return true
	})
	return values
}

// stored returns the values that fn assigns to the field or element x
// (written the same way).
func stored(fn ast.Node, x ast.Expr) (values []ast.Expr) {
	if fn == nil {
		return nil
	}
	ast.Inspect(fn, func(n ast.Node) bool {
		if n, ok := n.(*ast.AssignStmt); ok && n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
			for i, l := range n.Lhs {
				if types.ExprString(l) == types.ExprString(x) {
					values = append(values, n.Rhs[i])
				}
			}
		}
		return true
	})
	return values
}

// results wraps the products that the function called by c returns, if it
// is declared in the module (known), or is a function literal assigned to a
// variable.
func (r resolver) results(p *pkg, c *ast.CallExpr) (found, known bool) {
	id, _ := ast.Unparen(c.Fun).(*ast.Ident)
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		id = sel.Sel
	}
	if id == nil {
		return false, false
	}
	type body struct {
		p *pkg
		f *ast.File
		b *ast.BlockStmt
	}
	var bodies []body
	switch obj := p.info.Uses[id].(type) {
	case *types.Func:
		d, ok := r.funcs[obj.FullName()]
		if !ok || d.fn.Body == nil {
			return false, false
		}
		bodies = append(bodies, body{d.p, d.f, d.fn.Body})
	case *types.Var:
		f := p.files[fset.Position(id.Pos()).Filename]
		for _, e := range assigned(p, f, obj) {
			lit, ok := ast.Unparen(e).(*ast.FuncLit)
			if !ok {
				return false, false
			}
			bodies = append(bodies, body{p, f, lit.Body})
		}
	}
	if len(bodies) == 0 {
		return false, false
	}
	for _, b := range bodies {
		if done, ok := r.seen[b.b]; ok {
			found = found || done
			continue
		}
		r.seen[b.b] = false
		var res []ast.Expr
		ast.Inspect(b.b, func(n ast.Node) bool {
			if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
				res = append(res, ret.Results[0])
			}
			_, lit := n.(*ast.FuncLit)
			return !lit
		})
		r.seen[b.b] = r.values(b.p, b.f, res, nil, noCalls) || r.values(b.p, b.f, res, nil, moduleCalls)
		found = found || r.seen[b.b]
	}
	return found, true
}

// paramIndex returns the index of v among the parameters of fn, or -1.
func paramIndex(p *pkg, fn ast.Node, v *types.Var) int {
	var ft *ast.FuncType
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		ft = fn.Type
	case *ast.FuncLit:
		ft = fn.Type
	default:
		return -1
	}
	k := 0
	for _, field := range ft.Params.List {
		for _, name := range field.Names {
			if p.info.Defs[name] == v {
				return k
			}
			k++
		}
	}
	return -1
}

// enclosing returns the innermost function declaration or literal of f around pos.
func enclosing(f *ast.File, pos token.Pos) (fn ast.Node) {
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			fn = n
		}
		return true
	})
	return fn
}

// wrap records that e, the value x as written in f (in parentheses or not),
// is to be converted to x's type, if that is a floating-point type.
func (r resolver) wrap(p *pkg, f *ast.File, e, x ast.Expr) bool {
	t := p.info.TypeOf(x)
	if t == nil {
		return false
	}
	if b, ok := t.Underlying().(*types.Basic); !ok || b.Info()&types.IsFloat == 0 {
		return false
	}
	name := fset.Position(e.Pos()).Filename
	if r.edits[name] == nil {
		r.edits[name] = map[ast.Expr]string{}
	}
	r.edits[name][e] = types.TypeString(t, func(q *types.Package) string {
		if q == p.types {
			return ""
		}
		for _, imp := range f.Imports {
			if imp.Name != nil && strings.Trim(imp.Path.Value, `"`) == q.Path() {
				return imp.Name.Name
			}
		}
		return q.Name() // if f does not import q, the build will tell
	})
	return true
}

// at returns file:line:col of pos.
func at(pos token.Pos) string {
	q := fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", q.Filename, q.Line, q.Column)
}

// load parses and type-checks the module's packages, importing from the
// export data that go list -export writes, and indexes their functions.
func load() (map[string]*pkg, map[string]decl) {
	out, err := exec.Command("go", "list", "-export", "-deps", "-json=ImportPath,Dir,Export,GoFiles,Standard", "./...").Output()
	if err != nil {
		fail(fmt.Errorf("go list -export: %v", err))
	}
	type listed struct {
		ImportPath, Dir, Export string
		GoFiles                 []string
		Standard                bool
	}
	export := map[string]string{}
	var mine []listed
	root, _ := os.Getwd()
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var l listed
		if err := dec.Decode(&l); err == io.EOF {
			break
		} else if err != nil {
			fail(err)
		}
		export[l.ImportPath] = l.Export
		if rel, err := filepath.Rel(root, l.Dir); err == nil && !l.Standard && !strings.HasPrefix(rel, "..") {
			l.Dir = filepath.ToSlash(rel)
			mine = append(mine, l)
		}
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if export[path] == "" {
			return nil, errors.New("no export data for " + path)
		}
		return os.Open(export[path])
	})
	pkgs, funcs := map[string]*pkg{}, map[string]decl{}
	for _, l := range mine {
		p := &pkg{files: map[string]*ast.File{}, info: &types.Info{
			Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
		}}
		var files []*ast.File
		for _, name := range l.GoFiles {
			name = path.Join(l.Dir, name)
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				fail(err)
			}
			p.files[name] = f
			files = append(files, f)
		}
		conf := types.Config{Importer: imp}
		if p.types, err = conf.Check(l.ImportPath, fset, files, p.info); err != nil {
			fail(err)
		}
		pkgs[l.Dir] = p
		for _, f := range files {
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok {
					funcs[p.info.Defs[fn.Name].(*types.Func).FullName()] = decl{p, f, fn}
				}
			}
		}
	}
	return pkgs, funcs
}

// goList runs go list with args and returns the lines it prints.
func goList(args ...string) (string, string) {
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		fail(fmt.Errorf("go list %s: %v", strings.Join(args, " "), err))
	}
	a, b, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return a, b
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fusion:", err)
	os.Exit(2)
}
