/* The quick reference's content: the seed guide's formulas by topic, each with
 * the lemma program that checks it on random numbers (ref.h says what the
 * program must leave behind).
 *
 * Every program draws its own numbers (ref.c seeds the session first), and
 * compares two ways of getting the same quantity that do not share code: a
 * formula written out against a builtin that computes it differently (LAPACK,
 * BLAS, the distributions' samplers), or against a central finite difference,
 * or against a simulation. Simulation checks allow 5 standard errors, so a
 * correct engine fails one of them about once in 1.7 million runs. */
#include "learn/ref_int.h"

const lm_ref_topic lm_ref_topic_table[] = {
    {"linalg", "Linear algebra"},
    {"calculus", "Calculus"},
    {"probability", "Probability and statistics"},
    {"optimization", "Optimization"},
    {"information", "Information theory"},
    {NULL, NULL},
};

/* Shared by the simulation checks of E[X], Var(X) and σ: a random discrete
 * variable X on four values and n draws of it. */
#define DISCRETE_X                                                                                                 \
    "vals = cumsum(1 + floor(3 * rand(1, 4))) - 5;\n"                                                                         \
    "w = rand(1, 4) + 0.1; p = w / sum(w);\n"                                                                      \
    "n = 100000;\n"                                                                                                \
    "xs = vals(sample(Categorical(p), n));\n"                                                                      \
    "mu = sum(vals .* p); v2 = sum(vals .^ 2 .* p) - mu ^ 2;\n"                                                    \
    "mu4 = sum((vals - mu) .^ 4 .* p);\n"                                                                          \
    "xdesc = sprintf(\"X on [%g %g %g %g] with P = [%.2f %.2f %.2f %.2f]\", vals, p);\n"

const lm_ref_formula lm_ref_formula_table[] = {
    /* ---- linear algebra ---- */
    {"matrix-product", "linalg", "Matrix product, entry by entry", "(AB)_{ij} = \\sum_{k} A_{ik} B_{kj}",
     "A = randn(3, 4); B = randn(4, 2);\n"
     "r = floor(3 * rand()) + 1; c = floor(2 * rand()) + 1;\n"
     "s = 0;\n"
     "for k = 1:4\n"
     "  s = s + A(r, k) * B(k, c);\n"
     "end\n"
     "C = A * B;\n"
     "what = sprintf(\"entry (%d, %d) of AB for a random 3×4 A and 4×2 B\", r, c);\n"
     "a = s; a_is = \"the sum over k\";\n"
     "b = C(r, c); b_is = \"A*B (BLAS)\";\n"
     "tol = 1e-12 * (1 + abs(b)); tol_why = \"rounding\";\n"},
    {"transpose", "linalg", "Transpose of a product", "(AB)^{\\top} = B^{\\top} A^{\\top}",
     "A = randn(3, 2); B = randn(2, 4);\n"
     "what = \"(AB)ᵀ against BᵀAᵀ for a random 3×2 A and 2×4 B\";\n"
     "a = max(max(abs((A * B)' - B' * A'))); a_is = \"largest |(AB)ᵀ − BᵀAᵀ|\";\n"
     "b = 0; b_is = \"expected\";\n"
     "tol = 1e-12; tol_why = \"rounding\";\n"},
    {"inverse", "linalg", "Inverse", "A A^{-1} = A^{-1} A = I",
     "A = randn(4, 4);\n"
     "while abs(det(A)) < 0.1\n"
     "  A = randn(4, 4);\n"
     "end\n"
     "what = sprintf(\"AA⁻¹ against I for a random 4×4 A (det A = %.4g)\", det(A));\n"
     "a = max(max(abs(A * inv(A) - eye(4)))); a_is = \"largest |AA⁻¹ − I|\";\n"
     "b = 0; b_is = \"expected\";\n"
     "tol = 1e-13 * cond(A); tol_why = \"rounding: 1e-13 × cond(A)\";\n"},
    {"determinant-2x2", "linalg", "Determinant of a 2×2 matrix", "\\det A = ad - bc \\quad \\text{for } A = [a\\ b;\\ c\\ d]",
     "A = randn(2, 2);\n"
     "what = sprintf(\"A = [%.3g %.3g; %.3g %.3g]\", A(1, 1), A(1, 2), A(2, 1), A(2, 2));\n"
     "a = A(1, 1) * A(2, 2) - A(1, 2) * A(2, 1); a_is = \"ad − bc\";\n"
     "b = det(A); b_is = \"det(A) (LU)\";\n"
     "tol = 1e-12 * (1 + abs(b)); tol_why = \"rounding\";\n"},
    {"eigen", "linalg", "Eigenvalues and eigenvectors", "A v = \\lambda v \\quad (v \\ne 0)",
     "M = randn(3, 3); A = M + M';\n"
     "[V, D] = eig(A);\n"
     "what = sprintf(\"the 3 eigenpairs of a random symmetric A (λ = %.3g, %.3g, %.3g)\", diag(D));\n"
     "a = max(max(abs(A * V - V * D))); a_is = \"largest |Av − λv|\";\n"
     "b = 0; b_is = \"expected\";\n"
     "tol = 1e-12 * (1 + max(abs(diag(D)))); tol_why = \"rounding\";\n"},
    {"dot-product", "linalg", "Dot product and angle", "u \\cdot v = \\sum_{i} u_i v_i = \\|u\\| \\|v\\| \\cos\\theta",
     "r1 = 1 + 2 * rand(); r2 = 1 + 2 * rand();\n"
     "t1 = 2 * pi * rand(); t2 = 2 * pi * rand();\n"
     "u = [r1 * cos(t1), r1 * sin(t1)]; v = [r2 * cos(t2), r2 * sin(t2)];\n"
     "what = sprintf(\"u, v in 2D of lengths %.3g and %.3g, %.1f° apart\", r1, r2, "
     "acos(cos(t1 - t2)) * 180 / pi);\n"
     "a = sum(u .* v); a_is = \"Σ uᵢvᵢ\";\n"
     "b = r1 * r2 * cos(t1 - t2); b_is = \"‖u‖‖v‖cos θ\";\n"
     "tol = 1e-12 * (1 + r1 * r2); tol_why = \"rounding\";\n"},
    {"norm", "linalg", "Length (2-norm) of a vector", "\\|x\\| = \\sqrt{\\sum_{i} x_i^{2}}",
     "x = randn(1, 5);\n"
     "what = \"the length of a random x with 5 entries\";\n"
     "a = sqrt(sum(x .^ 2)); a_is = \"√(Σ xᵢ²)\";\n"
     "b = norm(x); b_is = \"norm(x) (BLAS)\";\n"
     "tol = 1e-12 * (1 + b); tol_why = \"rounding\";\n"},

    /* ---- calculus ---- */
    {"derivative", "calculus", "The derivative as a limit", "f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h}",
     "c = 0.5 + rand(); x0 = 2 * rand() - 1; h = 1e-6;\n"
     "f(t) = exp(c * t);\n"
     "what = sprintf(\"f(x) = exp(%.4g x) at x = %.4g, with h = 1e-6\", c, x0);\n"
     "a = (f(x0 + h) - f(x0)) / h; a_is = \"(f(x+h) − f(x))/h\";\n"
     "b = c * exp(c * x0); b_is = \"f′(x) = c·exp(cx)\";\n"
     "tol = 1e-5 * (1 + abs(b)); tol_why = \"the quotient's error, about h·f″/2\";\n"},
    {"power-rule", "calculus", "Power rule", "\\frac{d}{dx} x^{n} = n x^{n-1}",
     "n = floor(5 * rand()) + 2; x0 = 0.5 + 1.5 * rand(); h = 1e-5;\n"
     "f(t) = t ^ n;\n"
     "what = sprintf(\"d/dx x^%d at x = %.4g\", n, x0);\n"
     "a = n * x0 ^ (n - 1); a_is = \"n·xⁿ⁻¹\";\n"
     "b = (f(x0 + h) - f(x0 - h)) / (2 * h); b_is = \"central difference\";\n"
     "tol = 1e-6 * (1 + abs(a)); tol_why = \"the central difference's h² error\";\n"},
    {"product-rule", "calculus", "Product rule", "(fg)' = f'g + fg'",
     "c = 0.5 + rand(); x0 = 2 * rand() - 1; h = 1e-5;\n"
     "f(t) = sin(c * t); g(t) = t ^ 2 + 1; fg(t) = f(t) * g(t);\n"
     "what = sprintf(\"f = sin(%.4g x), g = x² + 1 at x = %.4g\", c, x0);\n"
     "a = c * cos(c * x0) * g(x0) + f(x0) * 2 * x0; a_is = \"f′g + fg′\";\n"
     "b = (fg(x0 + h) - fg(x0 - h)) / (2 * h); b_is = \"central difference\";\n"
     "tol = 1e-6 * (1 + abs(a)); tol_why = \"the central difference's h² error\";\n"},
    {"quotient-rule", "calculus", "Quotient rule", "\\left(\\frac{f}{g}\\right)' = \\frac{f'g - fg'}{g^{2}}",
     "c = 0.5 + rand(); x0 = 2 * rand() - 1; h = 1e-5;\n"
     "f(t) = exp(c * t); g(t) = t ^ 2 + 1; q(t) = f(t) / g(t);\n"
     "what = sprintf(\"f = exp(%.4g x), g = x² + 1 at x = %.4g\", c, x0);\n"
     "a = (c * f(x0) * g(x0) - f(x0) * 2 * x0) / g(x0) ^ 2; a_is = \"(f′g − fg′)/g²\";\n"
     "b = (q(x0 + h) - q(x0 - h)) / (2 * h); b_is = \"central difference\";\n"
     "tol = 1e-6 * (1 + abs(a)); tol_why = \"the central difference's h² error\";\n"},
    {"chain-rule", "calculus", "Chain rule", "(f \\circ g)'(x) = f'(g(x)) \\cdot g'(x)",
     "c = 0.5 + rand(); x0 = 2 * rand() - 1; h = 1e-5;\n"
     "f(t) = sin(t); g(t) = c * t ^ 2 + 1; fg(t) = f(g(t));\n"
     "what = sprintf(\"f = sin, g = %.4g x² + 1 at x = %.4g\", c, x0);\n"
     "a = cos(g(x0)) * 2 * c * x0; a_is = \"f′(g(x))·g′(x)\";\n"
     "b = (fg(x0 + h) - fg(x0 - h)) / (2 * h); b_is = \"central difference\";\n"
     "tol = 1e-6 * (1 + abs(a)); tol_why = \"the central difference's h² error\";\n"},
    {"gradient", "calculus", "Gradient",
     "\\nabla f = \\left(\\frac{\\partial f}{\\partial x}, \\frac{\\partial f}{\\partial y}\\right), \\quad "
     "\\nabla f \\cdot u = \\text{slope along } u",
     "c = 0.5 + rand(); p0 = 2 * rand(1, 2) - 1; h = 1e-5;\n"
     "G = grad(sin(x * y) + c * x ^ 2, [x, y]);\n"
     "gp = float(subs(G, [x, y], [p0(1), p0(2)]));\n"
     "w = 2 * pi * rand(); u = [cos(w), sin(w)];\n"
     "f(s, t) = sin(s * t) + c * s ^ 2;\n"
     "what = sprintf(\"f = sin(xy) + %.4g x² at (%.3g, %.3g), u a random unit vector\", c, p0(1), p0(2));\n"
     "a = gp(1) * u(1) + gp(2) * u(2); a_is = \"grad(f)·u\";\n"
     "b = (f(p0(1) + h * u(1), p0(2) + h * u(2)) - f(p0(1) - h * u(1), p0(2) - h * u(2))) / (2 * h);\n"
     "b_is = \"central difference along u\";\n"
     "tol = 1e-6 * (1 + abs(a)); tol_why = \"the central difference's h² error\";\n"},

    /* ---- probability and statistics ---- */
    {"conditional", "probability", "Conditional probability", "P(A \\mid B) = P(A \\cap B) / P(B)",
     "pA = 0.2 + 0.6 * rand(); pBA = 0.2 + 0.6 * rand(); pBnA = 0.2 + 0.6 * rand();\n"
     "n = 100000;\n"
     "A = rand(n, 1) < pA;\n"
     "B = rand(n, 1) < A * pBA + (1 - A) * pBnA;\n"
     "pB = pA * pBA + (1 - pA) * pBnA;\n"
     "what = sprintf(\"P(A) = %.3g, P(B | A) = %.3g, P(B | not A) = %.3g; %d draws\", pA, pBA, pBnA, n);\n"
     "a = pA * pBA / pB; a_is = \"P(A ∩ B)/P(B)\";\n"
     "b = sum(A .* B) / sum(B); b_is = \"share of A when B\";\n"
     "tol = 5 * sqrt(a * (1 - a) / (n * pB)); tol_why = \"5 standard errors of the simulation\";\n"},
    {"bayes", "probability", "Bayes' theorem", "P(A \\mid B) = \\frac{P(B \\mid A) P(A)}{P(B)}",
     "N = floor(1 + 99 * rand(2, 2));\n"
     "tot = sum(sum(N));\n"
     "pA = (N(1, 1) + N(1, 2)) / tot; pB = (N(1, 1) + N(2, 1)) / tot;\n"
     "pBA = N(1, 1) / (N(1, 1) + N(1, 2));\n"
     "what = sprintf(\"counts [%d %d; %d %d] (rows A, not A; columns B, not B)\", "
     "N(1, 1), N(1, 2), N(2, 1), N(2, 2));\n"
     "a = pBA * pA / pB; a_is = \"P(B | A)P(A)/P(B)\";\n"
     "b = N(1, 1) / (N(1, 1) + N(2, 1)); b_is = \"counted n(A, B)/n(B)\";\n"
     "tol = 1e-12; tol_why = \"rounding\";\n"},
    {"expectation", "probability", "Expected value", "\\mathbb{E}[X] = \\sum_{x} x P(x)",
     DISCRETE_X "what = sprintf(\"%s; %d draws\", xdesc, n);\n"
                "a = mu; a_is = \"Σ x·P(x)\";\n"
                "b = mean(xs); b_is = \"mean of the draws\";\n"
                "tol = 5 * sqrt(v2 / n); tol_why = \"5 standard errors of the simulation\";\n"},
    {"variance", "probability", "Variance", "\\text{Var}(X) = \\mathbb{E}[X^{2}] - \\mathbb{E}[X]^{2}",
     DISCRETE_X "what = sprintf(\"%s; %d draws\", xdesc, n);\n"
                "a = v2; a_is = \"E[X²] − E[X]²\";\n"
                "b = var(xs); b_is = \"variance of the draws\";\n"
                "tol = 5 * sqrt((mu4 - v2 ^ 2) / n); tol_why = \"5 standard errors of the simulation\";\n"},
    {"standard-deviation", "probability", "Standard deviation", "\\sigma = \\sqrt{\\text{Var}(X)}",
     DISCRETE_X "what = sprintf(\"%s; %d draws\", xdesc, n);\n"
                "a = sqrt(v2); a_is = \"√Var(X)\";\n"
                "b = std(xs); b_is = \"std of the draws\";\n"
                "tol = 5 * sqrt((mu4 - v2 ^ 2) / n) / (2 * sqrt(v2));\n"
                "tol_why = \"5 standard errors of the simulation\";\n"},
    {"binomial", "probability", "Binomial distribution", "P(X = k) = C(n, k)\\, p^{k} (1-p)^{n-k}",
     "m = floor(5 + 16 * rand()); p = 0.1 + 0.8 * rand();\n"
     "k = min(m, max(0, floor(m * p) + floor(3 * rand()) - 1));\n"
     "c = 1;\n"
     "for t = 1:k\n"
     "  c = c * (m - k + t) / t;\n"
     "end\n"
     "n = 100000;\n"
     "what = sprintf(\"n = %d, p = %.3g, k = %d; %d draws of Binomial(n, p)\", m, p, k, n);\n"
     "a = c * p ^ k * (1 - p) ^ (m - k); a_is = \"the formula\";\n"
     "b = mean(sample(Binomial(m, p), n) == k); b_is = \"share of draws equal to k\";\n"
     "tol = 5 * sqrt(a * (1 - a) / n); tol_why = \"5 standard errors of the simulation\";\n"},
    {"z-score", "probability", "Normal z-score", "z = \\frac{x - \\mu}{\\sigma}, \\quad P(X \\le x) = \\Phi(z)",
     "mu = 20 * rand() - 10; s = 0.5 + 3 * rand(); x0 = mu + s * (4 * rand() - 2);\n"
     "n = 100000;\n"
     "z = (x0 - mu) / s;\n"
     "what = sprintf(\"X ~ Normal(μ = %.3g, σ = %.3g), x = %.3g, so z = %.3g; %d draws\", mu, s, x0, z, n);\n"
     "a = cdf(Normal(0, 1), z); a_is = \"Φ(z)\";\n"
     "b = mean(mu + s * randn(n, 1) <= x0); b_is = \"share of draws ≤ x\";\n"
     "tol = 5 * sqrt(a * (1 - a) / n); tol_why = \"5 standard errors of the simulation\";\n"},

    /* ---- optimization ---- */
    {"gradient-descent", "optimization", "Gradient descent", "\\theta \\leftarrow \\theta - \\eta \\nabla f(\\theta)",
     "M = randn(2, 2); A = M' * M + eye(2); bv = randn(2, 1);\n"
          "eta = 1 / max(eig(A));\n"
     "th = [0; 0];\n"
     "for it = 1:2000\n"
     "  th = th - eta * (A * th - bv);\n"
     "end\n"
     "what = sprintf(\"2000 steps, η = 1/λmax = %.3g, on f(θ) = ½θᵀAθ − bᵀθ, A random positive definite\", eta);\n"
     "ts = A \\ bv;\n"
     "a = 0.5 * th' * A * th - bv' * th; a_is = \"f after the steps\";\n"
     "b = 0.5 * ts' * A * ts - bv' * ts; b_is = \"f at the minimum A⁻¹b\";\n"
     "tol = 1e-9 * (1 + abs(b)); tol_why = \"convergence and rounding\";\n"},
    {"momentum", "optimization", "Momentum",
     "v \\leftarrow \\beta v - \\eta \\nabla f(\\theta), \\quad \\theta \\leftarrow \\theta + v",
     "M = randn(2, 2); A = M' * M + eye(2); bv = randn(2, 1);\n"
          "eta = 1 / max(eig(A)); beta = 0.9;\n"
     "th = [0; 0]; v = [0; 0];\n"
     "for it = 1:2000\n"
     "  v = beta * v - eta * (A * th - bv);\n"
     "  th = th + v;\n"
     "end\n"
     "what = sprintf(\"2000 steps, β = 0.9, η = %.3g, on f(θ) = ½θᵀAθ − bᵀθ, A random positive definite\", eta);\n"
     "ts = A \\ bv;\n"
     "a = 0.5 * th' * A * th - bv' * th; a_is = \"f after the steps\";\n"
     "b = 0.5 * ts' * A * ts - bv' * ts; b_is = \"f at the minimum A⁻¹b\";\n"
     "tol = 1e-9 * (1 + abs(b)); tol_why = \"convergence and rounding\";\n"},
    {"log-sum-exp", "optimization", "Log-sum-exp without overflow",
     "\\log \\sum_{i} e^{x_i} = m + \\log \\sum_{i} e^{x_i - m}, \\quad m = \\max_{i} x_i",
     "xv = 10 * rand(1, 5) - 5; m = max(xv);\n"
     "lse(t) = max(t) + log(sum(exp(t - max(t))));\n"
     "what = sprintf(\"5 random x in [−5, 5]; for x + 1000 the direct sum gives %g, the shifted one %.6g\", "
     "log(sum(exp(xv + 1000))), lse(xv + 1000));\n"
     "a = m + log(sum(exp(xv - m))); a_is = \"shifted by m\";\n"
     "b = log(sum(exp(xv))); b_is = \"direct\";\n"
     "tol = 1e-12 * (1 + abs(b)); tol_why = \"rounding\";\n"},

    /* ---- information theory ---- */
    {"entropy", "information", "Entropy", "H(p) = -\\sum_{x} p(x) \\log_2 p(x)",
     "w = rand(1, 4) + 0.05; p = w / sum(w);\n"
     "what = sprintf(\"p = [%.3f %.3f %.3f %.3f]\", p);\n"
     "a = -sum(p .* log2(p)); a_is = \"−Σ p log₂ p (bits)\";\n"
     "b = entropy(p); b_is = \"entropy(p)\";\n"
     "tol = 1e-12; tol_why = \"rounding\";\n"},
    {"cross-entropy", "information", "Cross-entropy",
     "H(p, q) = -\\sum_{x} p(x) \\log_2 q(x) = H(p) + D(p \\| q)",
     "p = rand(1, 4) + 0.05; p = p / sum(p); q = rand(1, 4) + 0.05; q = q / sum(q);\n"
     "what = sprintf(\"p = [%.2f %.2f %.2f %.2f], q = [%.2f %.2f %.2f %.2f]\", p, q);\n"
     "a = -sum(p .* log2(q)); a_is = \"−Σ p log₂ q\";\n"
     "b = entropy(p) + kl(p, q); b_is = \"H(p) + D(p ‖ q)\";\n"
     "tol = 1e-12; tol_why = \"rounding\";\n"},
    {"kl-divergence", "information", "KL divergence",
     "D(p \\| q) = \\sum_{x} p(x) \\log_2 \\left(\\frac{p(x)}{q(x)}\\right) \\ge 0",
     "p = rand(1, 4) + 0.05; p = p / sum(p); q = rand(1, 4) + 0.05; q = q / sum(q);\n"
     "n = 100000;\n"
     "ks = sample(Categorical(p), n);\n"
     "r = log2(p(ks) ./ q(ks));\n"
     "what = sprintf(\"p = [%.2f %.2f %.2f %.2f], q = [%.2f %.2f %.2f %.2f]; %d draws X ~ p\", p, q, n);\n"
     "a = sum(p .* log2(p ./ q)); a_is = \"the sum\";\n"
     "b = mean(r); b_is = \"mean of log₂ p(X)/q(X)\";\n"
     "tol = 5 * std(r) / sqrt(n); tol_why = \"5 standard errors of the simulation\";\n"},
    {"mutual-information", "information", "Mutual information",
     "I(X; Y) = \\sum_{x,y} p(x,y) \\log_2 \\left(\\frac{p(x,y)}{p(x) p(y)}\\right) = H(X) + H(Y) - H(X,Y)",
     "J = rand(2, 3) + 0.05; J = J / sum(sum(J));\n"
     "px = sum(J, 2); py = sum(J, 1);\n"
     "what = \"a random 2×3 joint table p(x, y)\";\n"
     "a = sum(sum(J .* log2(J ./ (px * py)))); a_is = \"the sum\";\n"
     "b = entropy(px') + entropy(py) - entropy(reshape(J, 1, 6)); b_is = \"H(X) + H(Y) − H(X,Y)\";\n"
     "tol = 1e-12; tol_why = \"rounding\";\n"},
    {NULL, NULL, NULL, NULL, NULL},
};
