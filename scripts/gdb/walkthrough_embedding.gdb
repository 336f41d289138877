# The embedding walk-through (docs/debugging.md): watch the gradient arrive in exactly the
# looked-up rows, then watch one SGD step change only those rows.
# Run it: gdb -q -x scripts/gdb/walkthrough_embedding.gdb --args build/debug/tutorials/ch04_embedding_layer
# (add -batch to run it through without stopping; type the lines one by one to explore).
set pagination off
set confirm off
# A function called from gdb that crashes is abandoned instead of leaving you inside it.
set unwindonsignal on
source scripts/gdb/embedlab_printers.py

# 1. Stop in the embedding's backward. gdb stops on the function's first line, before its
#    arguments are stored: one `next` and they are readable.
break embedlab::embedding_backward
run
next
echo \n--- the ids the forward looked up (saved by the forward for its backward):\n
print node.saved.ids
echo \n--- d loss / d looked-up rows, one row per id:\n
print grad_out

# 2. Let the backward run to its end, then stop where the optimiser starts.
break embedlab::optim::SGD::step
continue
next
echo \n--- the gradient of W: only the looked-up rows are non-zero (a row read k times holds k):\n
printf "%s\n", params_[0].grad().to_string().c_str()
echo \n--- W before the step:\n
printf "%s\n", params_[0].to_string().c_str()

# 3. One step: W[row] -= lr * grad[row], only for the rows with a gradient.
finish
echo \n--- W after the step: only the looked-up rows moved:\n
printf "%s\n", embed->weight.to_string().c_str()
continue
