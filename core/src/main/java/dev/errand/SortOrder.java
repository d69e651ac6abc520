package dev.errand;

/** Direction of a sort. */
public enum SortOrder {
  /** Smallest first. */
  ASC,
  /** Largest first. */
  DESC
}
