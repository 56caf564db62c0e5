// The WebAssembly text of LocalRank's SIMD score kernel (see src/core/create-scorer.ts). `npm run kernel` assembles it
// into src/core/score-kernel.ts; a unit test checks that the committed bytes are this text's.

/** Hidden layer widths the kernel is written for (the default schema's); other widths use the plain forward pass. */
export const KERNEL_HIDDEN = [32, 16];

const lanes = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * `score(rows, F, D, offs, dense, out, ub, k1d, b2, k2, outk, wide, outb)`: for each row, layer 1 is `ub` plus the F
 * projection rows whose byte addresses are at `offs` (row-major, F per row) plus the row's D dense values (at
 * `dense`) times the dense rows of the layer-1 kernel (`k1d`, 32 floats each), then ReLU; layer 2 is `b2` plus the
 * 32 activations times `k2` (16 floats per activation), then ReLU; the logit is `outb` plus layer 2 times `outk` plus
 * the dense values times `wide`. Written to `out` (one float per row). All float32, four lanes at a time.
 */
export function scoreKernelWat() {
  const [h1, h2] = KERNEL_HIDDEN;
  const A = lanes(h1 / 4);
  const C = lanes(h2 / 4);
  const add = (acc, expr) => `(local.set ${acc} (f32x4.add (local.get ${acc}) ${expr}))`;
  return `(module
  (memory (import "env" "memory") 1)
  (func (export "score")
    (param $rows i32) (param $F i32) (param $D i32) (param $offs i32) (param $dense i32) (param $out i32)
    (param $ub i32) (param $k1d i32) (param $b2 i32) (param $k2 i32) (param $outk i32) (param $wide i32) (param $outb f32)
    (local $r i32) (local $f i32) (local $k i32) (local $p i32) (local $kp i32) (local $wp i32)
    (local $v f32) (local $w f32) (local $vs v128) (local $t v128)
    ${A.map((i) => `(local $a${i} v128)`).join(' ')}
    ${C.map((m) => `(local $c${m} v128)`).join(' ')}
    (block $end (loop $row
      (br_if $end (i32.ge_u (local.get $r) (local.get $rows)))
      ${A.map((i) => `(local.set $a${i} (v128.load offset=${16 * i} (local.get $ub)))`).join('\n      ')}
      (local.set $f (local.get $F))
      (block $fe (loop $fl
        (br_if $fe (i32.eqz (local.get $f)))
        (local.set $p (i32.load (local.get $offs)))
        ${A.map((i) => add(`$a${i}`, `(v128.load offset=${16 * i} (local.get $p))`)).join('\n        ')}
        (local.set $offs (i32.add (local.get $offs) (i32.const 4)))
        (local.set $f (i32.sub (local.get $f) (i32.const 1)))
        (br $fl)))
      (local.set $w (f32.const 0))
      (local.set $kp (local.get $k1d))
      (local.set $wp (local.get $wide))
      (local.set $k (local.get $D))
      (block $de (loop $dl
        (br_if $de (i32.eqz (local.get $k)))
        (local.set $v (f32.load (local.get $dense)))
        (if (f32.ne (local.get $v) (f32.const 0))
          (then
            (local.set $vs (f32x4.splat (local.get $v)))
            ${A.map((i) => add(`$a${i}`, `(f32x4.mul (local.get $vs) (v128.load offset=${16 * i} (local.get $kp)))`)).join('\n            ')}
            (local.set $w (f32.add (local.get $w) (f32.mul (local.get $v) (f32.load (local.get $wp)))))))
        (local.set $dense (i32.add (local.get $dense) (i32.const 4)))
        (local.set $kp (i32.add (local.get $kp) (i32.const ${h1 * 4})))
        (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $dl)))
      ${A.map((i) => `(local.set $a${i} (f32x4.max (local.get $a${i}) (v128.const f32x4 0 0 0 0)))`).join('\n      ')}
      ${C.map((m) => `(local.set $c${m} (v128.load offset=${16 * m} (local.get $b2)))`).join('\n      ')}
      ${lanes(h1)
        .map((j) => {
          const splat = `(local.set $vs (f32x4.splat (f32x4.extract_lane ${j % 4} (local.get $a${Math.floor(j / 4)}))))`;
          return [splat, ...C.map((m) => add(`$c${m}`, `(f32x4.mul (local.get $vs) (v128.load offset=${j * h2 * 4 + 16 * m} (local.get $k2)))`))].join('\n      ');
        })
        .join('\n      ')}
      (local.set $t (f32x4.mul (f32x4.max (local.get $c0) (v128.const f32x4 0 0 0 0)) (v128.load offset=0 (local.get $outk))))
      ${C.slice(1)
        .map((m) => add('$t', `(f32x4.mul (f32x4.max (local.get $c${m}) (v128.const f32x4 0 0 0 0)) (v128.load offset=${16 * m} (local.get $outk)))`))
        .join('\n      ')}
      (f32.store (local.get $out)
        (f32.add
          (f32.add (local.get $outb)
            (f32.add (f32.add (f32x4.extract_lane 0 (local.get $t)) (f32x4.extract_lane 1 (local.get $t)))
                     (f32.add (f32x4.extract_lane 2 (local.get $t)) (f32x4.extract_lane 3 (local.get $t)))))
          (local.get $w)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row)))))
`;
}
