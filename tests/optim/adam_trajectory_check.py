#!/usr/bin/env python3
"""Independent check of the ten Adam losses in test_trajectory.cpp.

Plain Python in float64 (numpy is not needed): the gradient of the mean squared error is
written out by hand, and the update follows the algorithm box of torch.optim.Adam
(https://pytorch.org/docs/stable/generated/torch.optim.Adam.html). X is the (8, 3) matrix that
embedlab's randn gives for Generator(7), printed once from C++ with 9 significant digits.
Run: python3 tests/optim/adam_trajectory_check.py
"""
import math

X = [
    [1.59139991, 0.38890323, 0.51917237],
    [1.53435493, -0.154437438, -1.38159144],
    [-0.361870587, -0.62886554, 3.26912689],
    [-0.221629679, -0.365831822, 0.290723801],
    [0.2511549, -0.465705395, -0.929864824],
    [1.17015374, -0.23089397, 0.861342907],
    [-0.275857866, 0.12869519, -0.515317917],
    [-0.784033775, -0.263880104, 0.628462374],
]
W_TRUE, B_TRUE = [1.0, -2.0, 0.5], 0.3
N = len(X)
y = [sum(x[j] * W_TRUE[j] for j in range(3)) + B_TRUE for x in X]

lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
params = [0.0, 0.0, 0.0, 0.0]  # W0, W1, W2, b
m = [0.0] * 4
v = [0.0] * 4
losses = []
for t in range(1, 11):
    W, b = params[:3], params[3]
    r = [sum(x[j] * W[j] for j in range(3)) + b - yi for x, yi in zip(X, y)]
    losses.append(sum(ri * ri for ri in r) / N)
    # d mean(r^2) / dW_j = (2 / N) sum_i r_i X_ij;  d / db = (2 / N) sum_i r_i.
    grad = [2.0 / N * sum(r[i] * X[i][j] for i in range(N)) for j in range(3)]
    grad.append(2.0 / N * sum(r))
    for k in range(4):
        m[k] = beta1 * m[k] + (1 - beta1) * grad[k]
        v[k] = beta2 * v[k] + (1 - beta2) * grad[k] ** 2
        m_hat = m[k] / (1 - beta1 ** t)
        v_hat = v[k] / (1 - beta2 ** t)
        params[k] -= lr * m_hat / (math.sqrt(v_hat) + eps)

embedlab = [2.48823857, 1.82574821, 1.27775526, 0.844538271, 0.523618758,
            0.308635294, 0.188258037, 0.145705998, 0.159606457, 0.206535712]
worst = max(abs(a - b) / b for a, b in zip(losses, embedlab))
for step, (a, b) in enumerate(zip(losses, embedlab)):
    print(f"step {step}: python {a:.9f}  embedlab {b:.9f}")
print(f"largest relative difference: {worst:.2e}")
assert worst < 1e-5, "the C++ trajectory differs from the reference"
