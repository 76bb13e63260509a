"""``tf.nn``: neural-network ops (activations, losses, convolution, pooling)."""

from tinytf.ops.math_ops import in_top_k, top_k  # noqa: F401
from tinytf.ops.nn_ops import (  # noqa: F401
    avg_pool, avg_pool1d, avg_pool2d, batch_normalization, bias_add, conv1d, conv2d,
    conv2d_transpose, convolution, depthwise_conv2d, dropout, elu, gelu, l2_loss,
    l2_normalize, leaky_relu, log_softmax, max_pool, max_pool1d, max_pool2d, moments, relu,
    relu6, selu, sigmoid, sigmoid_cross_entropy_with_logits, silu, softmax,
    softmax_cross_entropy_with_logits, softplus, softsign,
    sparse_softmax_cross_entropy_with_logits, swish, tanh)
