package dev.qspark.checkpoint;

import java.util.Comparator;

/** Orders strings with digit runs compared as numbers, so {@code layers.2} sorts before {@code layers.10}. */
final class NaturalOrder implements Comparator<String> {

  static final NaturalOrder INSTANCE = new NaturalOrder();

  private NaturalOrder() {}

  @Override
  public int compare(String left, String right) {
    int i = 0;
    int j = 0;
    while (i < left.length() && j < right.length()) {
      char a = left.charAt(i);
      char b = right.charAt(j);
      if (isDigit(a) && isDigit(b)) {
        int endA = digitRunEnd(left, i);
        int endB = digitRunEnd(right, j);
        int byNumber = compareDigitRuns(left.substring(i, endA), right.substring(j, endB));
        if (byNumber != 0) {
          return byNumber;
        }
        i = endA;
        j = endB;
      } else {
        if (a != b) {
          return Character.compare(a, b);
        }
        i++;
        j++;
      }
    }
    int byRemaining = Integer.compare(left.length() - i, right.length() - j);
    return byRemaining != 0 ? byRemaining : left.compareTo(right);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digitRunEnd(String s, int start) {
    int end = start;
    while (end < s.length() && isDigit(s.charAt(end))) {
      end++;
    }
    return end;
  }

  // Runs may exceed the range of long, so they are compared by length after removing leading zeros.
  private static int compareDigitRuns(String a, String b) {
    String trimmedA = a.replaceFirst("^0+(?=.)", "");
    String trimmedB = b.replaceFirst("^0+(?=.)", "");
    int byLength = Integer.compare(trimmedA.length(), trimmedB.length());
    return byLength != 0 ? byLength : trimmedA.compareTo(trimmedB);
  }
}
