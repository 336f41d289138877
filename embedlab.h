/// @file embedlab.h
/// @brief The umbrella header: includes every public header of embedlab.
#pragma once

#include "autograd/dot.h"
#include "autograd/gradcheck.h"
#include "autograd/node.h"
#include "autograd/ops.h"
#include "tensor/creation.h"
#include "tensor/error.h"
#include "tensor/print.h"
#include "tensor/random.h"
#include "tensor/tensor.h"
