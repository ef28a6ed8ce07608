package io.switchboard.application.hub;

/** A transport that takes every frame and does nothing with it; tests override what they watch. */
public class QuietSink implements FrameSink {
    @Override
    public void text(Frame frame) {
    }

    @Override
    public void ping() {
    }

    @Override
    public void pong(byte[] payload) {
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public void abort() {
    }
}
