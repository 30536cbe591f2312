"""Bad input gets a ValueError whose message tells a student what to change (never a crash or a warning)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lstm_core import (
    ConcatWeights,
    GRUParams,
    LSTMParams,
    RNNParams,
    SplitWeights,
    fast,
    from_concat,
    from_split,
    init_gru,
    init_lstm,
    init_rnn,
    lstm_params_from_keras,
    lstm_params_to_keras,
    lstm_step,
    params_from_arrays,
    run_gru,
    run_lstm,
    run_rnn,
    to_concat,
    to_split,
)

pytestmark = pytest.mark.filterwarnings("error")  # a warning instead of a clear error is a failure

D, H = 8, 16
PARAMS = init_lstm(D, H, seed=0)
XS = np.zeros((5, D))


def raises(message: str):
    """``pytest.raises(ValueError)`` whose message must contain ``message`` literally."""
    return pytest.raises(ValueError, match=re.escape(message))


def lstm(w_ih=None, w_hh=None, b_ih=None, b_hh=None) -> LSTMParams:
    return LSTMParams(
        np.zeros((4 * H, D)) if w_ih is None else w_ih,
        np.zeros((4 * H, H)) if w_hh is None else w_hh,
        np.zeros(4 * H) if b_ih is None else b_ih,
        np.zeros(4 * H) if b_hh is None else b_hh,
    )


# --- parameter shapes and ranks ---------------------------------------------------------------


def test_transposed_recurrent_weights():
    with raises("weight_hh must be (4H, H) = (64, 16); got (16, 64); is it transposed?"):
        lstm(w_hh=np.zeros((H, 4 * H)))
    with raises("weight_hh must be (3H, H) = (12, 4); got (12, 5)"):
        GRUParams(np.zeros((12, 2)), np.zeros((12, 5)), np.zeros(12), np.zeros(12))
    with raises("weight_hh must be (H, H) = (4, 4); got (4, 3)"):
        RNNParams(np.zeros((4, 2)), np.zeros((4, 3)), np.zeros(4), np.zeros(4))


def test_input_weights_with_wrong_rows_or_rank():
    with raises(
        "weight_ih must have 4H rows (one block of H rows per gate: input, forget, candidate, output)"
    ):
        lstm(w_ih=np.zeros((63, D)))
    with raises("got 0 rows"):
        LSTMParams(np.zeros((0, D)), np.zeros((0, 0)), np.zeros(0), np.zeros(0))
    with raises("weight_ih must be a matrix (4H, D); got shape (64,)"):
        lstm(w_ih=np.zeros(4 * H))
    with raises("weight_ih must be a matrix (3H, D); got shape (12, 2, 1)"):
        GRUParams(np.zeros((12, 2, 1)), np.zeros((12, 4)), np.zeros(12), np.zeros(12))
    with raises("the input size D must be at least 1"):
        lstm(w_ih=np.zeros((4 * H, 0)))


def test_bias_shapes():
    with raises("bias_ih must be (4H,) = (64,); got (63,)"):
        lstm(b_ih=np.zeros(63))
    with raises("bias_hh must be (4H,) = (64,); got (64, 1)"):
        lstm(b_hh=np.zeros((64, 1)))


@pytest.mark.parametrize("name", ["w_ih", "w_hh", "b_ih", "b_hh"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_parameters(name, bad):
    good = {"w_ih": np.zeros((4 * H, D)), "w_hh": np.zeros((4 * H, H)), "b_ih": np.zeros(4 * H)}
    good["b_hh"] = np.zeros(4 * H)
    good[name].flat[5] = bad
    torch_name = {"w_ih": "weight_ih", "w_hh": "weight_hh", "b_ih": "bias_ih", "b_hh": "bias_hh"}[name]
    with raises(f"{torch_name} contains 1 non-finite value(s) (NaN or infinity), the first at index"):
        lstm(**good)


def test_non_numeric_parameters():
    with raises("weight_ih must contain numbers only; could not read it (could not convert string to float"):
        lstm(w_ih="abc")
    with raises("weight_ih has rows of different lengths"):
        lstm(w_ih=[[1.0, 2.0], [3.0]])
    with raises("weight_hh must contain real numbers; got complex values"):
        lstm(w_hh=np.zeros((4 * H, H), dtype=complex))
    with raises("bias_ih is missing (got None)"):
        LSTMParams(np.zeros((4 * H, D)), np.zeros((4 * H, H)), None, np.zeros(4 * H))


def test_dtype_and_names():
    with raises("dtype must be float64 or float32; got int64"):
        PARAMS.astype(np.int64)
    with raises("dtype must be float64 or float32; got 'abc'"):
        PARAMS.astype("abc")
    with raises("unknown gate 'forgot'; the LSTM gates are input, forget, candidate, output"):
        PARAMS.gate_block("weight_ih", "forgot")
    with raises("unknown weight 'weights'; expected one of weight_ih, weight_hh, bias_ih, bias_hh"):
        PARAMS.gate_block("weights", "forget")
    with raises("unknown cell kind 'lsmt'; expected one of ['gru', 'lstm', 'rnn']"):
        params_from_arrays({"kind": np.array("lsmt")})
    with raises("the weights are missing weight_hh"):
        params_from_arrays({"kind": np.array("gru"), "weight_ih": np.zeros((3, 2))})


# --- inputs and initial states ----------------------------------------------------------------


def test_wrong_params_type():
    with raises("run_lstm needs LSTMParams; got GRUParams"):
        run_lstm(init_gru(D, H), XS)
    with raises("run_lstm needs LSTMParams; got dict"):
        run_lstm(PARAMS.to_torch(), XS)
    with raises("run_lstm needs LSTMParams; got NoneType"):
        run_lstm(None, XS)
    with raises("run_gru needs GRUParams; got LSTMParams"):
        run_gru(PARAMS, XS)
    with raises("run_rnn needs RNNParams; got GRUParams"):
        run_rnn(init_gru(D, H), XS)
    with raises("lstm_step needs LSTMParams; got RNNParams"):
        lstm_step(init_rnn(D, H), XS[0])
    with raises("run_lstm needs LSTMParams; got GRUParams"):  # the training path checks alike
        fast.run_lstm(init_gru(D, H), XS)
    with raises("run_gru needs GRUParams; got LSTMParams"):
        fast.run_gru(PARAMS, XS)
    with raises("run_rnn needs RNNParams; got GRUParams"):
        fast.run_rnn(init_gru(D, H), XS)


@pytest.mark.parametrize("shape", [(5,), (1, 2, 5, D), ()])
def test_wrong_rank_of_xs(shape):
    with raises(
        f"xs must be (T, D) for one sequence or (B, T, D) for a batch; got {len(shape)} dimension(s)"
    ):
        run_lstm(PARAMS, np.zeros(shape))


@pytest.mark.parametrize("run", [run_lstm, run_gru, run_rnn, fast.run_lstm, fast.run_gru, fast.run_rnn])
def test_empty_sequence_and_empty_batch(run):
    params = {"run_lstm": PARAMS, "run_gru": init_gru(D, H), "run_rnn": init_rnn(D, H)}[run.__name__]
    with raises("xs is an empty sequence (T = 0); give at least one timestep"):
        run(params, np.zeros((0, D)))
    with raises("xs is an empty sequence (T = 0)"):
        run(params, np.zeros((2, 0, D)))
    with raises("xs is an empty batch (B = 0); give at least one sequence"):
        run(params, np.zeros((0, 5, D)))


def test_wrong_input_size():
    with raises("xs must have D = input_size = 8 features per step; got 3 (xs has shape (5, 3))"):
        run_lstm(PARAMS, np.zeros((5, 3)))
    with raises("xs must have D = input_size = 8 features per step; got 3 (xs has shape (2, 5, 3))"):
        run_gru(init_gru(D, H), np.zeros((2, 5, 3)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_inputs_and_states(bad):
    xs = XS.copy()
    xs[2, 3] = bad
    with raises("xs contains 1 non-finite value(s) (NaN or infinity), the first at index (2, 3)"):
        run_lstm(PARAMS, xs)
    with raises("h0 contains 16 non-finite value(s)"):
        run_lstm(PARAMS, XS, h0=np.full(H, bad))
    with raises("c0 contains 1 non-finite value(s)"):
        run_lstm(PARAMS, XS, c0=np.r_[np.zeros(H - 1), bad])
    with raises("h0 contains 1 non-finite value(s)"):
        run_rnn(init_rnn(D, H), XS, h0=np.r_[bad, np.zeros(H - 1)])


def test_values_too_large_for_float32():
    with raises("xs has 40 value(s) too large for float32 (|x| > 3.4e38)"):
        run_lstm(PARAMS.astype(np.float32), np.full((5, D), 1e300))


@pytest.mark.parametrize(
    ("xs", "message"),
    [
        (
            "hello",
            "xs must contain numbers only; could not read it (could not convert string to float: 'hello')",
        ),
        ([["a"] * D], "xs must contain numbers only"),
        (object(), "xs must contain numbers only"),
        ([[0.0] * D, [0.0]], "xs has rows of different lengths; every row needs the same number of values"),
        (np.zeros((5, D), dtype=complex), "xs must contain real numbers; got complex values"),
        (None, "xs is missing (got None); give an array of numbers"),
    ],
)
def test_non_numeric_inputs(xs, message):
    with raises(message):
        run_lstm(PARAMS, xs)


def test_wrong_initial_state_shapes():
    with raises("h0 must be (H,) = (16,); got (15,)"):
        run_lstm(PARAMS, XS, h0=np.zeros(15))
    with raises("h0 must be (H,) = (16,); got (16, 1)"):
        run_lstm(PARAMS, XS, h0=np.zeros((H, 1)))
    with raises("c0 must be (H,) = (16,); got (8,)"):
        run_lstm(PARAMS, XS, c0=np.zeros(8))
    with raises("h0 must be (B, H) = (3, 16); got (16,)"):
        run_lstm(PARAMS, np.zeros((3, 5, D)), h0=np.zeros(H))
    with raises("h0 must be (B, H) = (3, 16); got (2, 16)"):
        run_gru(init_gru(D, H), np.zeros((3, 5, D)), h0=np.zeros((2, H)))
    with raises("h0 must contain numbers only"):
        run_lstm(PARAMS, XS, h0="zero")


def test_lstm_step_inputs():
    with raises("x_t must be one step (D,) = (8,) or a batch of steps (B, D); got shape ()"):
        lstm_step(PARAMS, 1.0)
    with raises("x_t must contain numbers only"):
        lstm_step(PARAMS, "x")
    with raises("xs must have D = input_size = 8 features per step; got 3"):
        lstm_step(PARAMS, np.zeros(3))
    rng = np.random.default_rng(0)
    x, h, c = rng.normal(size=(2, D)), rng.normal(size=(2, H)), rng.normal(size=(2, H))
    batch = lstm_step(PARAMS, x, h, c)
    assert batch.hidden.shape == (2, 1, H)  # (B, D) is a batch of B single steps, not a sequence
    for b in range(2):
        np.testing.assert_allclose(
            lstm_step(PARAMS, x[b], h[b], c[b]).cell, batch.cell[b], rtol=0, atol=1e-15
        )


def test_trace_step_index():
    trace = run_lstm(PARAMS, XS)
    with raises("step 5 is outside the sequence (0 … 4)"):
        trace.at(5)
    with raises("at() reads one sequence; index the batch first"):
        run_lstm(PARAMS, np.zeros((2, 5, D))).at(0)


# --- notations ---------------------------------------------------------------------------------


def test_notation_shapes():
    small = init_lstm(3, 4, seed=1)
    concat = to_concat(small)
    with raises("W['f'] must be (H, H + D) = (4, 6); got (4, 7)"):
        from_concat(concat, 2)
    with raises("W['f'] must be (H, H + D) = (4, 7); got (7, 4); is it transposed?"):
        from_concat(ConcatWeights(W={g: w.T for g, w in concat.W.items()}, b=concat.b), 3)
    with raises("W is missing the gate(s) o; expected f, i, C, o"):
        from_concat(ConcatWeights(W={g: w for g, w in concat.W.items() if g != "o"}, b=concat.b), 3)
    with raises("b is missing the gate 'f'"):
        from_concat(ConcatWeights(W=concat.W, b={}), 3)
    split = to_split(small)
    with raises("U['i'] must be (D, H) = (3, 4); got (4, 3); is it transposed?"):
        from_split(SplitWeights(U={**split.U, "i": split.U["i"].T}, W=split.W, b=split.b))
    keras = lstm_params_to_keras(small)
    with raises("recurrent_kernel must be (H, 4H) = (4, 16); got (16, 4); is it transposed?"):
        lstm_params_from_keras(keras["kernel"], keras["recurrent_kernel"].T)
    with raises("kernel must be (D, 4H) = (3, 16); got (16, 3); is it transposed?"):
        lstm_params_from_keras(keras["kernel"].T, keras["recurrent_kernel"])
    with raises("bias must be (4H,) = (16,); got (3,)"):
        lstm_params_from_keras(keras["kernel"], keras["recurrent_kernel"], keras["bias"][:3])


@pytest.mark.parametrize("init", [init_lstm, init_gru, init_rnn])
@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((3, 3), {"dtype": int}, "dtype must be float64 or float32; got int64"),
        ((3, 3), {"dtype": np.float16}, "dtype must be float64 or float32; got float16"),
        (("a", 3), {}, "input_size must be a whole number >= 1; got 'a'"),
        ((3, None), {}, "hidden_size must be a whole number >= 1; got None"),
        ((3, 0), {}, "hidden_size must be a whole number >= 1; got 0"),
    ],
)
def test_init_rejects_bad_sizes_and_dtypes(init, args, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        init(*args, **kwargs)
