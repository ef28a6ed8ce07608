package io.switchboard.application.port.in;

import java.util.List;

/** Input that fails validation, with every problem found. */
public final class InvalidInputException extends RuntimeException {
    private final transient List<Problem> problems;

    public InvalidInputException(List<Problem> problems) {
        super(problems.size() + " problem(s): " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
