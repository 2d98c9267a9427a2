/** The action ids of every button the Slack app posts, in one place (listeners match on them). */
export const ACTION = {
  showPassage: "hotline_show_passage",
  feedbackUp: "hotline_feedback_up",
  feedbackDown: "hotline_feedback_down",
  share: "hotline_share",
  quizAnswer: "hotline_quiz_answer",
  quizNext: "hotline_quiz_next",
  checkInYes: "hotline_checkin_yes",
  checkInNo: "hotline_checkin_no",
} as const;

/** Block ids, so a listener can tell which message part a button belongs to. */
export const BLOCK = {
  citations: "hotline_citations",
  feedback: "hotline_feedback",
  share: "hotline_share",
  checkIn: "hotline_checkin",
} as const;
